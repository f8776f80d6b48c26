package dev.inlay.policy.engine;

import dev.inlay.policy.Rule;

import java.util.List;

/**
 * The compiled rules of one category, by index in document order: what each may match (operations bitmask) and how
 * severe it is. "Better" means more severe, then earlier in the document, which makes deny win over allow.
 */
final class RuleTable {
    final Rule[] rules;
    final int[] operationMask;
    final int[] severity;
    final Decision[] decisions;

    RuleTable(List<Rule> list) {
        int n = list.size();
        rules = list.toArray(new Rule[0]);
        operationMask = new int[n];
        severity = new int[n];
        decisions = new Decision[n];
        for (int i = 0; i < n; i++) {
            Rule r = rules[i];
            int mask = 0;
            for (var op : r.operations()) mask |= op.bit();
            operationMask[i] = mask;
            severity[i] = r.action().ordinal();
            decisions[i] = new Decision(r.category(), r.action(), r.id(), false);
        }
    }

    int size() {
        return rules.length;
    }

    /** The better of two candidate rule indices (-1 = none). */
    int better(int a, int b) {
        if (a < 0) return b;
        if (b < 0) return a;
        if (severity[a] != severity[b]) return severity[a] > severity[b] ? a : b;
        return Math.min(a, b);
    }

    /** @param applies per rule, whether it applies to who asked; null when every rule does (none is scoped) */
    int bestOf(int best, int[] candidates, int opBit, boolean[] applies) {
        if (candidates == null) return best;
        for (int r : candidates) {
            if ((operationMask[r] & opBit) != 0 && (applies == null || applies[r])) best = better(best, r);
        }
        return best;
    }
}
