package dev.inlay.policy.engine;

import java.util.Arrays;

/** An open-addressing map from long keys to rule lists. Built once, then read-only. */
final class LongTable {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys = newKeys(8);
    private int[][] values = new int[8][];
    private int size;

    void add(long key, int rule) {
        if ((size + 1) * 2 > keys.length) grow();
        int i = slot(keys, key);
        if (keys[i] == EMPTY) {
            keys[i] = key;
            values[i] = new int[] {rule};
            size++;
        } else {
            int[] old = values[i];
            int[] next = Arrays.copyOf(old, old.length + 1);
            next[old.length] = rule;
            values[i] = next;
        }
    }

    int[] get(long key) {
        int mask = keys.length - 1;
        for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == EMPTY) return null;
            if (k == key) return values[i];
        }
    }

    private static int slot(long[] keys, long key) {
        int mask = keys.length - 1;
        for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == EMPTY || keys[i] == key) return i;
        }
    }

    private static int spread(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private static long[] newKeys(int n) {
        long[] k = new long[n];
        Arrays.fill(k, EMPTY);
        return k;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[][] oldValues = values;
        keys = newKeys(oldKeys.length * 2);
        values = new int[oldKeys.length * 2][];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(keys, oldKeys[j]);
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }
}
