package dev.inlay.policy.engine;

import java.util.Collection;

/** Rule numbers collected in a list, as the int array the matchers scan. */
final class Ints {
    private Ints() {}

    static int[] of(Collection<Integer> values) {
        int[] out = new int[values.size()];
        int i = 0;
        for (int v : values) out[i++] = v;
        return out;
    }
}
