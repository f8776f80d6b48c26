package dev.inlay.model;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One decision on the event stream ({@code "inlay":"event"}, docs/EVENTS.md): the agent fills it and
 * {@linkplain #write writes} it, the profiler {@linkplain #read reads} it back. A field added here is written and read by
 * both.
 */
public final class Event {
    /** The field every line of the stream has, saying what the line is; {@value #KIND} for an event. */
    public static final String INLAY = "inlay";

    public static final String KIND = "event";
    /** A candidate policy's denial, beside the decision of the policy in force (docs/EVENTS.md, "shadow"). */
    public static final String SHADOW_KIND = "shadow";
    /** {@value #STARTUP} or {@value #RUN}: whether the decision came while the application started. */
    public static final String PHASE = "phase";

    public static final String STARTUP = "startup";
    public static final String RUN_PHASE = "run";
    /** In a shadow line: the decision of the policy in force ({@code action}, {@code rule}, {@code policy}). */
    public static final String CURRENT = "current";

    public static final String TIME = "time";
    public static final String AGENT = "agent";
    public static final String RUN = "run";
    public static final String MODE = "mode";
    public static final String ACTION = "action";
    public static final String BLOCKED = "blocked";
    public static final String SEVERITY = "severity";
    public static final String MESSAGE = "message";
    public static final String TRUNCATED = "truncated";
    public static final String RULE = "rule";
    public static final String POLICY = "policy";
    public static final String COUNT = "count";
    public static final String PID = "pid";
    public static final String THREAD = "thread";
    public static final String VIRTUAL = "virtual";
    public static final String FRAME = "frame";
    public static final String STACK = "stack";
    public static final String WORKLOAD = "workload";

    /** Characters of the resource and of the thread name kept in a line cut to its essentials. */
    static final int TRUNCATED_RESOURCE = 1024;

    static final int TRUNCATED_THREAD = 200;

    /** {@value #KIND} or {@value #SHADOW_KIND}. */
    public String kind = KIND;
    /** {@value #STARTUP}, {@value #RUN_PHASE}, or null (a line without a phase). */
    public String phase;
    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} ({@link JsonLine#time}). */
    public String time;

    public String agent;
    public String run;
    public String mode;
    public String action;
    public boolean blocked;
    public String severity;
    public String message;
    public Behavior behavior;
    public String rule;
    public long count;
    public long pid;
    public String thread;
    public boolean virtual;
    public String frame;
    public List<String> stack;
    /** The line was over the limit and cut to its essentials: no frame, no stack, the workload's identity only. */
    public boolean truncated;
    /** Written as they are (JSON objects the agent wrote once); not read back. */
    public String policyJson;
    /** A shadow line's decision of the policy in force, a JSON object; null on an event. */
    public String currentJson;

    public String workloadJson;
    public String workloadIdentityJson;

    /**
     * The line; over {@code maxBytes} (a pathological resource), the decision without the detail: the category,
     * operation and the resource's first 1,024 characters, {@value #TRUNCATED}, the thread's first 200 characters and
     * the workload's identity.
     */
    public String write(int maxBytes) {
        JsonLine json = head();
        behavior.writeFields(json);
        json.field(RULE, rule);
        if (policyJson != null) json.raw(POLICY, policyJson);
        rollout(json);
        json.field(COUNT, count).field(PID, pid).field(THREAD, thread);
        if (virtual) json.field(VIRTUAL, true);
        json.field(FRAME, frame).strings(STACK, stack).raw(WORKLOAD, workloadJson);
        String line = json.end();
        if (line.getBytes(StandardCharsets.UTF_8).length <= maxBytes) return line;
        String resource = behavior.resource;
        JsonLine small = head().field(Behavior.CATEGORY, behavior.category)
                .field(Behavior.OPERATION, behavior.operation)
                .field(Behavior.RESOURCE, resource.substring(0, Math.min(TRUNCATED_RESOURCE, resource.length())))
                .field(TRUNCATED, true)
                .field(RULE, rule);
        if (policyJson != null) small.raw(POLICY, policyJson);
        rollout(small);
        small.field(COUNT, count)
                .field(PID, pid)
                .field(THREAD, thread.substring(0, Math.min(TRUNCATED_THREAD, thread.length())))
                .raw(WORKLOAD, workloadIdentityJson);
        return small.end();
    }

    private JsonLine head() {
        JsonLine json = JsonLine.object()
                .field(INLAY, kind)
                .field(TIME, time)
                .field(AGENT, agent)
                .field(RUN, run)
                .field(MODE, mode)
                .field(ACTION, action);
        if (!SHADOW_KIND.equals(kind)) json.field(BLOCKED, blocked); // a shadow line never blocks anything
        return json.field(SEVERITY, severity).field(MESSAGE, message);
    }

    /** After the deciding rule and policy: the decision in force (shadow lines), then the phase. */
    private void rollout(JsonLine json) {
        if (currentJson != null) json.raw(CURRENT, currentJson);
        if (phase != null) json.field(PHASE, phase);
    }

    /** What {@link #write} wrote, but the policy and workload objects (a reader takes those from its own tree). */
    public static Event read(FieldReader in) {
        Event e = new Event();
        e.kind = in.text(INLAY);
        e.phase = in.text(PHASE);
        e.time = in.text(TIME);
        e.agent = in.text(AGENT);
        e.run = in.text(RUN);
        e.mode = in.text(MODE);
        e.action = in.text(ACTION);
        e.blocked = in.flag(BLOCKED);
        e.severity = in.text(SEVERITY);
        e.message = in.text(MESSAGE);
        e.behavior = Behavior.read(in);
        e.rule = in.text(RULE);
        e.count = in.number(COUNT, 1);
        e.pid = in.number(PID, -1);
        e.thread = in.text(THREAD);
        e.virtual = in.flag(VIRTUAL);
        e.frame = in.text(FRAME);
        e.stack = in.texts(STACK);
        e.truncated = in.flag(TRUNCATED);
        return e;
    }
}
