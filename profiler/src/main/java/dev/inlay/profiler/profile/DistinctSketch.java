package dev.inlay.profiler.profile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Counts distinct ids (replicas, runs) in bounded memory: a k-minimum-values sketch. It keeps the {@code k} smallest
 * 64-bit hashes seen, so it is exact while fewer than {@code k} ids were seen and an estimate (relative error about
 * {@code 1/sqrt(k)}) beyond. Union is a plain "keep the k smallest of both", which is commutative and associative, so
 * merged profiles can be merged again without counting an id twice.
 */
public final class DistinctSketch {
    private final int capacity;
    /** Unsigned ascending, no duplicates. */
    private long[] hashes = new long[2];

    private int size;

    public DistinctSketch(int capacity) {
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    public void addId(String id) {
        addHash(hash(id));
    }

    public void addHash(long h) {
        int pos = search(h);
        if (pos >= 0) return;
        int insertAt = -pos - 1;
        if (size == capacity) {
            if (insertAt == size) return;
            size--;
        }
        if (size == hashes.length) hashes = Arrays.copyOf(hashes, Math.min(capacity, Math.max(4, size * 2)));
        System.arraycopy(hashes, insertAt, hashes, insertAt + 1, size - insertAt);
        hashes[insertAt] = h;
        size++;
    }

    public void addAll(DistinctSketch other) {
        for (int i = 0; i < other.size; i++) addHash(other.hashes[i]);
    }

    /** True while every id is still counted exactly. */
    public boolean exact() {
        return size < capacity;
    }

    public long estimate() {
        if (size < capacity) return size;
        // the k-th smallest of n uniform hashes sits near k/n of the range
        double fraction = unsignedToDouble(hashes[size - 1]) / 18446744073709551616.0;
        if (fraction <= 0) return size;
        return Math.max(size, Math.round((capacity - 1) / fraction));
    }

    public String encode() {
        ByteBuffer buf = ByteBuffer.allocate(size * Long.BYTES);
        for (int i = 0; i < size; i++) buf.putLong(hashes[i]);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    public void addEncoded(String encoded) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad sketch (not base64url)", e);
        }
        if (bytes.length % Long.BYTES != 0) throw new IllegalArgumentException("bad sketch (length)");
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) addHash(buf.getLong());
    }

    private int search(long h) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(hashes[mid], h);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    private static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }

    /** FNV-1a over UTF-8 with a murmur finalizer: stable across JVMs and versions, well spread. */
    public static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
