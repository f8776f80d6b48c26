package dev.inlay.model;

/**
 * The fields of the {@code "workload"} object in every line (docs/EVENTS.md, "workload"): where the JVM runs, from
 * local facts only. Written by the agent, read by the profiler (the replica a profile came from, the image) and by
 * {@code inlay events} (hosts, pods, images of SIEM formats). Constants only: the agent compiles them in.
 */
public final class WorkloadFields {
    public static final String HOSTNAME = "hostname";
    public static final String ECS = "ecs";
    public static final String KUBERNETES = "kubernetes";
    public static final String PODNAME = "podname";
    public static final String PODNAMESPACE = "podnamespace";
    public static final String PODUID = "poduid";
    /** The image as deployed ({@link AgentSettings#ENV_IMAGE}), and its digest when the reference names one. */
    public static final String IMAGE = "image";

    public static final String IMAGE_DIGEST = "imageDigest";
    /** The original image's, as {@code inlay wrap} recorded them ({@link AgentSettings}). */
    public static final String ORIGINAL_MANIFEST_DIGEST = "originalManifestDigest";

    public static final String ORIGINAL_CONFIG_DIGEST = "originalConfigDigest";
    public static final String PLATFORM = "platform";

    private WorkloadFields() {}
}
