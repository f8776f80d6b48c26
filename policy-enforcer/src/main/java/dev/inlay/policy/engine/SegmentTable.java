package dev.inlay.policy.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * An open-addressing map from strings to values, looked up by a region of another string, so that matching a path
 * segment by segment never creates substrings. Built once, then read-only.
 */
final class SegmentTable<V> {
    private static final int LINEAR = 4;
    private String[] keys = new String[8];
    private Object[] values = new Object[8];
    private int size;

    void put(String key, V value) {
        if ((size + 1) * 2 > keys.length) grow();
        int i = slot(keys, key);
        if (keys[i] == null) size++;
        keys[i] = key;
        values[i] = value;
    }

    @SuppressWarnings("unchecked")
    V get(String key) {
        return get(key, 0, key.length());
    }

    @SuppressWarnings("unchecked")
    V get(String s, int from, int to) {
        int len = to - from;
        if (size <= LINEAR) {
            // Most trie nodes have a few children: comparing lengths and chars beats hashing the segment.
            for (int i = 0; i < keys.length; i++) {
                String k = keys[i];
                if (k != null && k.length() == len && sameChars(k, s, from, len)) return (V) values[i];
            }
            return null;
        }
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + s.charAt(i);
        int mask = keys.length - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) return null;
            if (k.length() == len && k.hashCode() == h && sameChars(k, s, from, len)) return (V) values[i];
        }
    }

    @SuppressWarnings("unchecked")
    /** The values, in no particular order. */
    List<V> values() {
        List<V> out = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) if (keys[i] != null) out.add((V) values[i]);
        return out;
    }

    /** A plain loop: String.regionMatches does not inline on the decision path and showed as its top cost. */
    private static boolean sameChars(String key, String s, int from, int len) {
        for (int i = 0; i < len; i++) {
            if (key.charAt(i) != s.charAt(from + i)) return false;
        }
        return true;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private static int slot(String[] keys, String key) {
        int mask = keys.length - 1;
        for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == null || keys[i].equals(key)) return i;
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private void grow() {
        String[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = slot(keys, oldKeys[j]);
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }
}
