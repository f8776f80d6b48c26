package dev.inlay.profiler.profile;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What is known about one behavior across all merged documents. Every field merges commutatively and associatively
 * (sum, min, max, sketch union, "smallest few" set union), which is what makes merge order irrelevant.
 */
public final class BehaviorStats {
    /** Distinct replicas and runs are exact up to this many, estimated beyond. */
    public static final int SKETCH_CAPACITY = 32;
    /** Addresses and loaders kept per behavior: the smallest few, enough to show and to match names to addresses. */
    public static final int DETAIL_CAPACITY = 8;

    private long count;
    private long firstMillis = Long.MAX_VALUE;
    private long lastMillis = Long.MIN_VALUE;
    private final DistinctSketch replicas = new DistinctSketch(SKETCH_CAPACITY);
    private final DistinctSketch runs = new DistinctSketch(SKETCH_CAPACITY);
    private TreeSet<String> addresses;
    private TreeSet<String> loaders;
    /**
     * Whether the agent wrote this resource as a summary of a directory's many files ({@code dir/*}, {@code dir/**},
     * {@code "summary":true}): then, and only then, its {@code *} is a pattern; a learned name is always a literal.
     */
    private boolean summary;

    void observe(long count, long first, long last) {
        this.count += count;
        firstMillis = Math.min(firstMillis, first);
        lastMillis = Math.max(lastMillis, last);
    }

    void addAddress(String address) {
        addresses = addBounded(addresses, address);
    }

    void markSummary() {
        summary = true;
    }

    public boolean summary() {
        return summary;
    }

    void addLoader(String loader) {
        loaders = addBounded(loaders, loader);
    }

    private static TreeSet<String> addBounded(TreeSet<String> set, String value) {
        if (value == null || value.isEmpty()) return set;
        TreeSet<String> s = set == null ? new TreeSet<>() : set;
        s.add(value);
        if (s.size() > DETAIL_CAPACITY) s.pollLast();
        return s;
    }

    public DistinctSketch replicaSketch() {
        return replicas;
    }

    public DistinctSketch runSketch() {
        return runs;
    }

    public long count() {
        return count;
    }

    public long firstMillis() {
        return firstMillis;
    }

    public long lastMillis() {
        return lastMillis;
    }

    public long replicas() {
        return replicas.estimate();
    }

    public long runs() {
        return runs.estimate();
    }

    public SortedSet<String> addresses() {
        return addresses == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(addresses);
    }

    public SortedSet<String> loaders() {
        return loaders == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(loaders);
    }
}
