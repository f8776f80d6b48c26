package dev.inlay.model;

/**
 * The fields of a profile line ({@code "inlay":"profile"}, docs/PROFILE.md): a header, then {@value #BEHAVIORS}, each
 * a {@link Behavior} with its count and times. Written by the agent, read by the profiler. Constants only: the
 * agent compiles them in.
 */
public final class Profile {
    public static final String KIND = "profile";
    public static final String SCHEMA = "schema";
    public static final String AGENT = "agent";
    public static final String RUN = "run";
    public static final String SEQ = "seq";
    public static final String CHUNK = "chunk";
    public static final String CHUNKS = "chunks";
    /** Where the profile was learned: the container's host name. */
    public static final String REPLICA = "replica";

    public static final String STARTED = "started";
    public static final String WRITTEN = "written";
    public static final String FINAL = "final";
    public static final String WORKLOAD = "workload";
    /** What each policy root ({@code ${java.home}}...) stood for where the profile was learned. */
    public static final String ROOTS = "roots";
    /** Behaviors seen but not recorded (over a cap, or larger than a line). */
    public static final String NOT_RECORDED = "notRecorded";

    public static final String BEHAVIORS = "behaviors";

    private Profile() {}
}
