package dev.inlay.runtime;

import dev.inlay.model.Behavior;
import dev.inlay.model.Component;
import dev.inlay.model.Event;
import dev.inlay.model.JsonLine;
import dev.inlay.policy.Action;
import dev.inlay.policy.Mode;
import dev.inlay.policy.engine.Decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** Writes the agent's lines: events (docs/EVENTS.md), status lines and per-rule hit counts. */
final class Reporter {
    private static final int MAX_FAILURE_REPORTS = 20;

    private final EventStream stream;
    private final String agentVersion;
    private final String run;
    private final long pid = pid();
    private final Workload workload;
    private final ConcurrentHashMap<String, HitCounter> hits = new ConcurrentHashMap<>();
    private final AtomicLong failureReports = new AtomicLong();
    private long hitsSeq;
    private volatile String policyName;
    /** The policy in force: named in every event. */
    private volatile PolicyIdentity policy;

    Reporter(EventStream stream, String agentVersion, String run, Workload workload) {
        this.stream = stream;
        this.agentVersion = agentVersion;
        this.run = run;
        this.workload = workload;
    }

    void policy(String name, PolicyIdentity identity) {
        this.policyName = name;
        this.policy = identity;
    }

    void hit(String ruleId) {
        HitCounter.count(hits, ruleId);
    }

    void event(Behavior b, Mode mode, Action action, boolean blocked, String rule) {
        event(b, mode, action, blocked, rule, null, false);
    }

    /**
     * @param phase             {@code startup} or {@code run} for a decision (docs/EVENTS.md), null for none
     * @param releasedAtStartup a denial enforce mode let through because of INLAY_STARTUP=monitor
     */
    void event(
            Behavior b,
            Mode mode,
            Action action,
            boolean blocked,
            String rule,
            String phase,
            boolean releasedAtStartup) {
        String key = b.category
                + '\u0000'
                + b.operation
                + '\u0000'
                + b.resource
                + '\u0000'
                + rule
                + '\u0000'
                + action.wireName()
                + '\u0000'
                + phase
                + '\u0000'
                + b.component;
        stream.event(
                key,
                () -> renderer(
                        b,
                        mode,
                        action,
                        blocked,
                        rule,
                        System.currentTimeMillis(),
                        phase,
                        releasedAtStartup,
                        null,
                        policy));
    }

    /** What the candidate policy would deny: a {@code shadow} line, folded like events. */
    void shadow(Behavior b, Mode mode, Decision candidate, ShadowPolicy shadow, Decision current, String phase) {
        Action action = candidate.action();
        String rule = candidate.ruleId();
        RolloutFields.Current decided = new RolloutFields.Current(current.action(), current.ruleId(), policy);
        String key = RolloutFields.SHADOW
                + '\u0000'
                + b.category
                + '\u0000'
                + b.operation
                + '\u0000'
                + b.resource
                + '\u0000'
                + rule
                + '\u0000'
                + action.wireName()
                + '\u0000'
                + phase
                + '\u0000'
                + current.action().wireName()
                + '\u0000'
                + b.component;
        stream.event(
                key,
                () -> renderer(
                        b,
                        mode,
                        action,
                        false,
                        rule,
                        System.currentTimeMillis(),
                        phase,
                        false,
                        decided,
                        shadow.identity()));
    }

    /** For kill: written before the JVM halts, not queued. */
    void eventNow(Behavior b, Mode mode, Action action, boolean blocked, String rule) {
        eventNow(b, mode, action, blocked, rule, null);
    }

    void eventNow(Behavior b, Mode mode, Action action, boolean blocked, String rule, String phase) {
        stream.writeNow(renderer(b, mode, action, blocked, rule, System.currentTimeMillis(), phase, false, null, policy)
                .apply(1L));
    }

    /**
     * Captures the thread and stack now (in the application thread); renders later with the final count.
     *
     * @param current null for an event; for a shadow line, the decision of the policy in force
     * @param deciding the policy named in the line: the one in force, or the candidate of a shadow line
     */
    private Function<Long, String> renderer(
            Behavior b,
            Mode mode,
            Action action,
            boolean blocked,
            String rule,
            long time,
            String phase,
            boolean releasedAtStartup,
            RolloutFields.Current current,
            PolicyIdentity deciding) {
        Frames.Summary frames = Frames.capture();
        String thread = Thread.currentThread().getName();
        boolean virtual = isVirtual(Thread.currentThread());
        PolicyIdentity decided = deciding; // the policy that decided, even if a reload comes before the line is written
        String type = RolloutFields.type(current);
        return count -> {
            Event event = new Event();
            event.kind = RolloutFields.type(current);
            event.phase = phase;
            event.currentJson = RolloutFields.currentJson(current);
            event.policyJson = decided == null ? null : decided.json(); // hashed here, off the start path
            event.time = JsonLine.time(time);
            event.agent = agentVersion;
            event.run = run;
            event.mode = mode.wireName();
            event.action = action.wireName();
            event.blocked = blocked;
            event.severity = EventText.severity(b.category, action);
            event.message = RolloutFields.message(
                    b.category,
                    b.operation,
                    b.resource,
                    b.component == null ? null : new Component(b.component, null).toString(),
                    action,
                    blocked,
                    rule,
                    current,
                    releasedAtStartup);
            event.behavior = b;
            event.rule = rule;
            event.count = count;
            event.pid = pid;
            event.thread = thread;
            event.virtual = virtual;
            event.frame = frames.frame();
            event.stack = frames.stack();
            event.workloadJson = workload.json();
            event.workloadIdentityJson = workload.identityJson();
            return event.write(EventStream.MAX_LINE_BYTES);
        };
    }

    /**
     * {@code Thread.isVirtual()}, JDK 21 and later (the agent is compiled for 17); null before. Looked up at the first
     * event, not when the reporter is made before main().
     */
    private static final class VirtualThreads {
        static final java.lang.reflect.Method IS_VIRTUAL = isVirtualMethod();

        private static java.lang.reflect.Method isVirtualMethod() {
            try {
                return Thread.class.getMethod("isVirtual");
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    }

    private static boolean isVirtual(Thread t) {
        java.lang.reflect.Method isVirtual = VirtualThreads.IS_VIRTUAL;
        if (isVirtual == null) return false;
        try {
            return (boolean) isVirtual.invoke(t);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    void failure(String category, String resource, Throwable t) {
        if (failureReports.incrementAndGet() > MAX_FAILURE_REPORTS) return; // the total is in the shutdown status
        status("hook-failure", Map.of("category", category, "resource", resource, "error", String.valueOf(t)));
    }

    void status(String status, Map<String, ?> fields) {
        stream.line(statusLine(status, fields));
    }

    String statusLine(String status, Map<String, ?> fields) {
        JsonLine json = JsonLine.object()
                .field("inlay", "status")
                .field("time", JsonLine.time(System.currentTimeMillis()))
                .field("agent", agentVersion)
                .field("run", run)
                .field("pid", pid)
                .field("status", status);
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Number n) json.field(e.getKey(), n.longValue());
            else if (v instanceof Boolean bool) json.field(e.getKey(), bool);
            else if (v != null) json.field(e.getKey(), String.valueOf(v));
        }
        return json.raw("workload", workload.json()).end();
    }

    /** Rule hit counts since the previous hits line, as deltas with run and seq like profiles. */
    synchronized List<String> hitsLines(boolean last) {
        return hitsLines(hits, "hits", policyName, null, last, -1);
    }

    /**
     * The candidate policy's rule hits ({@code shadow-hits}, docs/EVENTS.md), with its digest so that
     * {@code inlay policy promote-check} counts only the candidate it is given. Every line, even an empty final one,
     * says the candidate ran.
     */
    List<String> shadowHitsLines(ShadowPolicy shadow, boolean last) {
        PolicyIdentity candidate = shadow.identity();
        synchronized (shadow) {
            return hitsLines(
                    shadow.hits(),
                    RolloutFields.SHADOW_HITS,
                    candidate.name(),
                    candidate.digest(),
                    last,
                    shadow.nextHitsSeq());
        }
    }

    /** @param seq this line's sequence number, or -1 for the next of the policy in force */
    private List<String> hitsLines(
            Map<String, HitCounter> counters, String type, String name, String digest, boolean last, long seq) {
        Map<String, Long> delta = new LinkedHashMap<>();
        for (Map.Entry<String, HitCounter> e : counters.entrySet()) {
            long n = e.getValue().takeCount();
            if (n > 0) delta.put(e.getKey(), n);
        }
        if (delta.isEmpty() && !last) return List.of();
        if (seq < 0) seq = hitsSeq++;
        List<Map<String, Long>> chunks = new ArrayList<>();
        Map<String, Long> current = new LinkedHashMap<>();
        int size = 0;
        for (Map.Entry<String, Long> e : delta.entrySet()) {
            int bytes = e.getKey().length() * 3 + 24;
            if (size + bytes > 6000 && !current.isEmpty()) {
                chunks.add(current);
                current = new LinkedHashMap<>();
                size = 0;
            }
            current.put(e.getKey(), e.getValue());
            size += bytes;
        }
        chunks.add(current);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            JsonLine json = JsonLine.object()
                    .field("inlay", type)
                    .field("schema", 1)
                    .field("agent", agentVersion)
                    .field("run", run)
                    .field("seq", seq)
                    .field("chunk", i)
                    .field("chunks", chunks.size())
                    .field("time", JsonLine.time(System.currentTimeMillis()))
                    .field("policy", name);
            if (digest != null) json.field("policyDigest", digest);
            lines.add(json.field("final", last).object("hits", chunks.get(i)).end());
        }
        return lines;
    }

    /**
     * This process's id, from /proc/self (what containers run on): {@code ProcessHandle.current()} starts the JDK's
     * process reaper machinery, milliseconds of the application's startup.
     */
    static long pid() {
        try {
            return Long.parseLong(
                    new java.io.File("/proc/self").getCanonicalFile().getName());
        } catch (java.io.IOException | NumberFormatException e) {
            return ProcessHandle.current().pid();
        }
    }
}
