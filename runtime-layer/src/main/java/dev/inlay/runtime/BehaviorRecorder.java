package dev.inlay.runtime;

import dev.inlay.model.Behavior;
import dev.inlay.model.Event;
import dev.inlay.model.JsonLine;
import dev.inlay.model.Profile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Learn mode: counts behaviors in a concurrent map (one lookup and one increment per operation) and turns them into
 * profile documents, each the delta since the previous snapshot, split into chunks of at most 8 KiB.
 *
 * <p>Memory is bounded by {@code maxBehaviors} distinct behaviors. So that a directory holding many distinct files
 * (uploads, a cache, per-entity files) does not fill the cap and push everything learned after it out, file
 * behaviors are summarized before the cap: once one directory has more than {@code maxPerDirectory} distinct file
 * behaviors, further new files in it are recorded as one behavior {@code dir/*} (per operation), and once a directory
 * has more than {@code maxPerDirectory} distinct subdirectories with files, new files under it are recorded as
 * {@code dir/**}. Both are marked {@code "summary":true} in the profile. What still does not fit is counted, and the
 * count goes into every profile document from then on ({@code notRecorded}), so a profile read after a {@code kill -9}
 * still says it is incomplete.
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
    /** Distinct file behaviors directly in each directory (up to maxBehaviors directories). */
    private final ConcurrentHashMap<String, AtomicInteger> filesIn = new ConcurrentHashMap<>();
    /** Distinct subdirectories with files of each directory. */
    private final ConcurrentHashMap<String, AtomicInteger> subdirectoriesIn = new ConcurrentHashMap<>();
    /** Directories whose new files are recorded as {@code dir/*}, and those whose new files are {@code dir/**}. */
    private final ConcurrentHashMap<String, Boolean> summarizedFiles = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, Boolean> summarizedTrees = new ConcurrentHashMap<>();
    private final int maxBehaviors;
    private final int maxPerDirectory;
    private final AtomicLong overflow = new AtomicLong(); // rare; LongAdder's VarHandles cost startup time
    private final AtomicInteger slots = new AtomicInteger();
    private final String agentVersion;
    private final String run;
    private final long startedMillis;
    private final Workload workload;
    private long seq;
    private long overflowWritten;
    /** This JVM's roots ({@code java.home}...), resolved at the first snapshot, not before main(). */
    private String rootsJson;

    BehaviorRecorder(
            int maxBehaviors,
            int maxPerDirectory,
            String agentVersion,
            String run,
            long startedMillis,
            Workload workload) {
        this.maxBehaviors = maxBehaviors;
        this.maxPerDirectory = Math.max(1, maxPerDirectory);
        this.agentVersion = agentVersion;
        this.run = run;
        this.startedMillis = startedMillis;
        this.workload = workload;
    }

    void record(Behavior behavior) {
        String key = behavior.key();
        Counter c = counters.get(key);
        if (c == null) {
            boolean file = "file".equals(behavior.category) && behavior.resource.startsWith("/");
            Behavior summary = file ? summaryOf(behavior) : null;
            if (summary != null) {
                behavior = summary;
                key = summary.key();
                c = counters.get(key);
            }
            if (c == null) {
                c = insert(key, behavior);
                if (c == null) return;
                if (file && summary == null) noteFile(behavior.resource);
            }
        }
        count(c);
    }

    /** A new counter, or the one another thread inserted first; null (and counted) when the cap is reached. */
    private Counter insert(String key, Behavior behavior) {
        // Reserve a slot first: checking the map's size and then inserting lets racing threads overshoot the cap.
        if (slots.incrementAndGet() > maxBehaviors) {
            slots.decrementAndGet();
            overflow.incrementAndGet();
            return null;
        }
        Counter fresh = new Counter(behavior);
        Counter c = counters.putIfAbsent(key, fresh);
        if (c == null) return fresh;
        slots.decrementAndGet(); // another thread recorded it first
        return c;
    }

    /** The summary a new file behavior falls under ({@code dir/*} or {@code ancestor/**}), else null. */
    private Behavior summaryOf(Behavior b) {
        String dir = parent(b.resource);
        String pattern = null;
        if (summarizedFiles.containsKey(dir)) pattern = dir + "/*";
        for (String a = dir; pattern == null && a.length() > 1; a = parent(a)) {
            if (summarizedTrees.containsKey(a)) pattern = a + "/**";
        }
        if (pattern == null) return null;
        Behavior summary = new Behavior(b.category, b.operation, pattern);
        summary.summary = true;
        summary.component = b.component; // a summary is of one component's files: never widened to all code
        return summary;
    }

    /** Counts a new distinct file behavior into its directory, and a new directory into its parent. */
    private void noteFile(String path) {
        String dir = parent(path);
        if (dir.length() <= 1) return; // never the whole file system
        AtomicInteger n = filesIn.get(dir);
        if (n == null) {
            if (filesIn.size() >= maxBehaviors) return;
            AtomicInteger fresh = new AtomicInteger();
            n = filesIn.putIfAbsent(dir, fresh);
            if (n == null) {
                n = fresh;
                noteSubdirectory(parent(dir));
            }
        }
        if (n.incrementAndGet() > maxPerDirectory) summarizedFiles.putIfAbsent(dir, Boolean.TRUE);
    }

    private void noteSubdirectory(String dir) {
        if (dir.length() <= 1) return;
        AtomicInteger n = subdirectoriesIn.get(dir);
        if (n == null) {
            if (subdirectoriesIn.size() >= maxBehaviors) return;
            AtomicInteger fresh = new AtomicInteger();
            n = subdirectoriesIn.putIfAbsent(dir, fresh);
            if (n == null) n = fresh;
        }
        if (n.incrementAndGet() > maxPerDirectory) summarizedTrees.putIfAbsent(dir, Boolean.TRUE);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** Directories summarized so far ({@code dir/*} and {@code dir/**}). */
    int summarized() {
        return summarizedFiles.size() + summarizedTrees.size();
    }

    private static void count(Counter c) {
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
        long notRecorded = overflow.get();
        for (Counter c : counters.values()) {
            long n = c.count.getAndSet(0);
            if (n <= 0) continue;
            long first = c.first == 0 ? c.last : c.first;
            c.first = 0;
            JsonLine item = c.behavior.writeFields(JsonLine.object());
            item.field(Behavior.COUNT, n)
                    .field(Behavior.FIRST, JsonLine.time(first))
                    .field(Behavior.LAST, JsonLine.time(Math.max(first, c.last)));
            items.add(item.end());
        }
        // A snapshot with nothing new is still written when more was lost: the loss stays visible after a kill -9.
        if (items.isEmpty() && !last && notRecorded == overflowWritten) return List.of();
        long written = System.currentTimeMillis();
        long thisSeq = seq++;
        String workloadJson = workload.json();
        if (rootsJson == null) rootsJson = rootsJson(dev.inlay.policy.Roots.current());
        // The header without chunk numbers tells how much room the behaviors have in one line.
        int headerBytes =
                header(thisSeq, 999_999, 999_999, written, last, workloadJson).length() + 64; // and notRecorded
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
        notRecorded = overflow.get(); // with the behaviors too large for a line
        overflowWritten = notRecorded;
        List<String> documents = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            String head = header(thisSeq, i, chunks.size(), written, last, workloadJson);
            if (notRecorded > 0) head += "," + JsonLine.quoted(Profile.NOT_RECORDED) + ":" + notRecorded;
            documents.add(
                    head + "," + JsonLine.quoted(Profile.BEHAVIORS) + ":[" + String.join(",", chunks.get(i)) + "]}");
        }
        return documents;
    }

    /**
     * The paths each root stands for in this JVM, so that the generator can write {@code ${java.home}/lib/**} where
     * it learned {@code /usr/lib/jvm/java-17-openjdk-amd64/lib/...} (docs/PROFILE.md).
     */
    static String rootsJson(dev.inlay.policy.Roots roots) {
        JsonLine json = JsonLine.object();
        for (String name : dev.inlay.policy.Roots.NAMES) json.strings(name, roots.paths(name));
        return json.end();
    }

    private String header(long seq, int chunk, int chunks, long written, boolean last, String workloadJson) {
        String head = JsonLine.object()
                .field(Event.INLAY, Profile.KIND)
                .field(Profile.SCHEMA, 1)
                .field(Profile.AGENT, agentVersion)
                .field(Profile.RUN, run)
                .field(Profile.SEQ, seq)
                .field(Profile.CHUNK, chunk)
                .field(Profile.CHUNKS, chunks)
                .field(Profile.REPLICA, workload.hostname())
                .field(Profile.STARTED, JsonLine.time(startedMillis))
                .field(Profile.WRITTEN, JsonLine.time(written))
                .field(Profile.FINAL, last)
                .raw(Profile.WORKLOAD, workloadJson)
                .raw(Profile.ROOTS, rootsJson)
                .end();
        return head.substring(0, head.length() - 1);
    }
}
