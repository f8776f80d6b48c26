package dev.inlay.profiler.profile;

import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sum of any number of profile documents. Memory grows with distinct behaviors, not with documents: per behavior
 * a fixed-size record; per run only the bits needed to drop a document read twice (one bit per snapshot, plus one
 * entry per chunk of split snapshots).
 */
public final class MergedProfile {
    public static final int TOTALS_SKETCH_CAPACITY = 1024;
    static final int IMAGE_CAPACITY = 16;
    static final int ROOT_CAPACITY = 64;

    private final Map<BehaviorKey, BehaviorStats> behaviors = new HashMap<>();
    private long documents;
    private long startedMillis = Long.MAX_VALUE;
    private long writtenMillis = Long.MIN_VALUE;
    private final DistinctSketch runs = new DistinctSketch(TOTALS_SKETCH_CAPACITY);
    private final DistinctSketch replicas = new DistinctSketch(TOTALS_SKETCH_CAPACITY);
    private final TreeSet<String> images = new TreeSet<>();
    /** Per root ({@code java.home}...), the paths it had in the runs learned (docs/PROFILE.md, "roots"). */
    private final Map<String, TreeSet<String>> roots = new TreeMap<>();

    private final Map<Long, SeenSnapshots> seenByRun = new HashMap<>();
    /**
     * Per run id, the largest {@code notRecorded} any of its documents carried (the agent's count is cumulative);
     * kept per run in merged documents too, so that merging stays associative.
     */
    private final TreeMap<String, Long> notRecordedByRun = new TreeMap<>();

    private final Set<String> seenMergedDigests = new HashSet<>();
    private final ReadCounters counters = new ReadCounters();

    /** Which (seq, chunk) of one run were already counted. */
    private static final class SeenSnapshots {
        final BitSet singleChunk = new BitSet();
        Set<Long> chunks;
        /** Snapshots split into chunks: how many chunks each has, and how many of them were read. */
        Map<Integer, int[]> split;

        boolean firstTime(int seq, int chunk, int chunkCount) {
            if (chunkCount <= 1 && chunk == 0) {
                if (singleChunk.get(seq)) return false;
                singleChunk.set(seq);
                return true;
            }
            if (chunks == null) {
                chunks = new HashSet<>();
                split = new HashMap<>();
            }
            if (!chunks.add(((long) seq << 32) | (chunk & 0xffffffffL))) return false;
            int[] counts = split.computeIfAbsent(seq, k -> new int[2]);
            counts[0] = Math.max(counts[0], chunkCount);
            counts[1]++;
            return true;
        }

        /**
         * Documents that must exist and were not read: a run numbers its snapshots 0, 1, 2, ... with no gap and
         * writes every chunk of each, so a missing seq below the highest read, or a missing chunk, was lost on the
         * way (a sink that failed, a pipeline that dropped lines). A missing last snapshot cannot be told from a
         * run that was killed.
         */
        long missing() {
            int highest = singleChunk.length() - 1;
            if (split != null) for (int seq : split.keySet()) highest = Math.max(highest, seq);
            long missing = 0;
            for (int seq = 0; seq <= highest; seq++) {
                int[] counts = split == null ? null : split.get(seq);
                if (counts != null) missing += Math.max(0, counts[0] - counts[1]);
                else if (!singleChunk.get(seq)) missing++;
            }
            return missing;
        }
    }

    /** True the first time a raw document (run, seq, chunk) is offered. */
    boolean firstTime(String run, int seq, int chunk, int chunkCount) {
        return seenByRun
                .computeIfAbsent(DistinctSketch.hash(run), k -> new SeenSnapshots())
                .firstTime(seq, chunk, chunkCount);
    }

    /** True the first time a merged document with this content digest is offered. */
    boolean firstTimeMerged(String digest) {
        return seenMergedDigests.add(digest);
    }

    BehaviorStats stats(BehaviorKey key) {
        return behaviors.computeIfAbsent(key, k -> new BehaviorStats());
    }

    void countDocument(long documents, long started, long written) {
        this.documents += documents;
        startedMillis = Math.min(startedMillis, started);
        writtenMillis = Math.max(writtenMillis, written);
    }

    void notRecorded(String run, long count) {
        if (count > 0) notRecordedByRun.merge(run, count, Math::max);
    }

    /** Runs that could not record everything, and how many operations each lost. */
    public SortedMap<String, Long> notRecordedByRun() {
        return Collections.unmodifiableSortedMap(notRecordedByRun);
    }

    /**
     * Operations the agent saw and could not record (its {@code maxBehaviors} cap was reached, or a behavior larger
     * than a line): when not 0 the profile is incomplete, and a policy generated from it denies behaviors the
     * application has.
     */
    public long notRecorded() {
        long sum = 0;
        for (long n : notRecordedByRun.values()) sum += n;
        return sum;
    }

    /**
     * Raw profile documents of the runs read that never arrived (gaps in their seq and chunk numbers). Not carried
     * into merged documents (a merge of part of a run's documents would count the rest as missing): {@code profile
     * merge} warns instead.
     */
    public long missingDocuments() {
        long sum = 0;
        for (SeenSnapshots seen : seenByRun.values()) sum += seen.missing();
        return sum;
    }

    void addImage(String image) {
        if (image == null || image.isEmpty()) return;
        images.add(image);
        if (images.size() > IMAGE_CAPACITY) images.pollLast();
    }

    /**
     * A path a root stood for in a learning JVM. Kept only for known roots and plain absolute normalized paths other
     * than {@code /} (under which everything would be written as the root), at most {@link #ROOT_CAPACITY} per root.
     */
    void addRoot(String root, String path) {
        if (!dev.inlay.policy.Roots.NAMES.contains(root)
                || path == null
                || path.equals("/")
                || dev.inlay.policy.Patterns.check(
                                dev.inlay.policy.Selector.PATHS, dev.inlay.policy.Patterns.literal(path))
                        != null) {
            return;
        }
        TreeSet<String> paths = roots.computeIfAbsent(root, k -> new TreeSet<>());
        paths.add(path);
        if (paths.size() > ROOT_CAPACITY) paths.pollLast();
    }

    /** Per root, the paths it stood for in the runs learned. */
    public Map<String, Set<String>> roots() {
        return Collections.unmodifiableMap(roots);
    }

    DistinctSketch runSketch() {
        return runs;
    }

    DistinctSketch replicaSketch() {
        return replicas;
    }

    public ReadCounters counters() {
        return counters;
    }

    /** Behaviors in their canonical order. */
    public SortedMap<BehaviorKey, BehaviorStats> behaviors() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(behaviors));
    }

    public int distinctBehaviors() {
        return behaviors.size();
    }

    public long documents() {
        return documents;
    }

    public boolean isEmpty() {
        return documents == 0;
    }

    public long startedMillis() {
        return startedMillis;
    }

    public long writtenMillis() {
        return writtenMillis;
    }

    public long runs() {
        return runs.estimate();
    }

    public long replicas() {
        return replicas.estimate();
    }

    public Set<String> images() {
        return Collections.unmodifiableSet(images);
    }

    /** What reading the inputs skipped; reported on stderr, never part of the merged document. */
    public static final class ReadCounters {
        long lines;
        long otherLines;
        long duplicates;
        long truncated;
        long malformed;
        long skippedBehaviors;

        public long lines() {
            return lines;
        }

        /** Lines that are not inlay profile documents: the application's own log, events, status lines. */
        public long otherLines() {
            return otherLines;
        }

        public long duplicates() {
            return duplicates;
        }

        /** Unparseable last lines of an input (a killed writer). */
        public long truncated() {
            return truncated;
        }

        /** Unparseable lines elsewhere that looked like profile documents. */
        public long malformed() {
            return malformed;
        }

        /** Behaviors with an unknown category or operation (a newer agent), or missing fields. */
        public long skippedBehaviors() {
            return skippedBehaviors;
        }

        public String summary() {
            return "read " + lines + " lines: " + duplicates + " duplicate documents, " + truncated
                    + " truncated, " + malformed + " malformed, " + otherLines + " other lines, "
                    + skippedBehaviors + " behaviors skipped";
        }
    }
}
