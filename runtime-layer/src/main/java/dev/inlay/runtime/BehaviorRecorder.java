package dev.inlay.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Learn mode: counts behaviors in a concurrent map (one lookup and one increment per operation) and turns them into
 * profile documents, each the delta since the previous snapshot, split into chunks of at most 8 KiB.
 */
final class BehaviorRecorder {
    private static final class Counter {
        final Behavior behavior;
        final AtomicLong count = new AtomicLong();
        volatile long first;
        volatile long last;

        Counter(Behavior behavior) {
            this.behavior = behavior;
        }
    }

    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final int maxBehaviors;
    private final AtomicLong overflow = new AtomicLong(); // rare; LongAdder's VarHandles cost startup time
    private final java.util.concurrent.atomic.AtomicInteger slots = new java.util.concurrent.atomic.AtomicInteger();
    private final String agentVersion;
    private final String run;
    private final long startedMillis;
    private final Workload workload;
    private long seq;
    /** This JVM's roots ({@code java.home}...), resolved at the first snapshot, not before main(). */
    private String rootsJson;

    BehaviorRecorder(int maxBehaviors, String agentVersion, String run, long startedMillis, Workload workload) {
        this.maxBehaviors = maxBehaviors;
        this.agentVersion = agentVersion;
        this.run = run;
        this.startedMillis = startedMillis;
        this.workload = workload;
    }

    void record(Behavior behavior) {
        String key = behavior.key();
        Counter c = counters.get(key);
        if (c == null) {
            // Reserve a slot first: checking the map's size and then inserting lets racing threads overshoot the cap.
            if (slots.incrementAndGet() > maxBehaviors) {
                slots.decrementAndGet();
                overflow.incrementAndGet();
                return;
            }
            Counter fresh = new Counter(behavior);
            c = counters.putIfAbsent(key, fresh);
            if (c == null) c = fresh;
            else slots.decrementAndGet(); // another thread recorded it first
        }
        long now = System.currentTimeMillis();
        if (c.count.getAndIncrement() == 0) c.first = now;
        c.last = now;
    }

    long overflow() {
        return overflow.get();
    }

    int distinct() {
        return counters.size();
    }

    /** The behaviors seen since the last snapshot as profile documents (none when nothing happened, unless final). */
    synchronized List<String> snapshot(boolean last) {
        List<String> items = new ArrayList<>();
        for (Counter c : counters.values()) {
            long n = c.count.getAndSet(0);
            if (n <= 0) continue;
            long first = c.first == 0 ? c.last : c.first;
            c.first = 0;
            Json item = c.behavior.fields(Json.object());
            item.field("count", n).field("first", Json.time(first)).field("last", Json.time(Math.max(first, c.last)));
            items.add(item.end());
        }
        if (items.isEmpty() && !last) return List.of();
        long written = System.currentTimeMillis();
        long thisSeq = seq++;
        String workloadJson = workload.json();
        if (rootsJson == null) rootsJson = rootsJson(dev.inlay.policy.Roots.current());
        // The header without chunk numbers tells how much room the behaviors have in one line.
        int headerBytes = header(thisSeq, 999_999, 999_999, written, last, workloadJson).length() + 32;
        int budget = EventStream.MAX_LINE_BYTES - headerBytes;
        List<List<String>> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int size = 0;
        for (String item : items) {
            int bytes = item.getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes > budget) {
                overflow.incrementAndGet(); // a single behavior larger than a line (a huge command line) is not written
                continue;
            }
            if (size + bytes > budget && !current.isEmpty()) {
                chunks.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(item);
            size += bytes;
        }
        chunks.add(current);
        List<String> documents = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            String head = header(thisSeq, i, chunks.size(), written, last, workloadJson);
            documents.add(head + ",\"behaviors\":[" + String.join(",", chunks.get(i)) + "]}");
        }
        return documents;
    }

    /**
     * The paths each root stands for in this JVM, so that the generator can write {@code ${java.home}/lib/**} where
     * it learned {@code /usr/lib/jvm/java-17-openjdk-amd64/lib/...} (docs/PROFILE.md).
     */
    static String rootsJson(dev.inlay.policy.Roots roots) {
        Json json = Json.object();
        for (String name : dev.inlay.policy.Roots.NAMES) json.strings(name, roots.paths(name));
        return json.end();
    }

    private String header(long seq, int chunk, int chunks, long written, boolean last, String workloadJson) {
        String head = Json.object().field("inlay", "profile").field("schema", 1).field("agent", agentVersion)
                .field("run", run).field("seq", seq).field("chunk", chunk).field("chunks", chunks)
                .field("replica", workload.hostname()).field("started", Json.time(startedMillis))
                .field("written", Json.time(written)).field("final", last).raw("workload", workloadJson)
                .raw("roots", rootsJson).end();
        return head.substring(0, head.length() - 1);
    }
}
