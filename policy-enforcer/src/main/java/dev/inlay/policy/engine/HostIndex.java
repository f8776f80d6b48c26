package dev.inlay.policy.engine;

import dev.inlay.policy.Patterns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Host name patterns of many rules: exact names hashed, {@code *.domain} patterns hashed by their domain and found by
 * trying each suffix of the input after a dot. Case and a trailing dot are ignored.
 */
final class HostIndex {
    private final SegmentTable<int[]> exact = new SegmentTable<>();
    private final SegmentTable<int[]> suffix = new SegmentTable<>();
    private final Map<String, List<Integer>> exactBuild = new HashMap<>();
    private final Map<String, List<Integer>> suffixBuild = new HashMap<>();

    // Loops rather than lambdas and streams here and in the other engine builders: the agent compiles the policy
    // before the application's main(), where every lambda and stream pipeline costs class spinning.
    void add(String pattern, int rule) {
        boolean wildcard = pattern.startsWith("*.");
        Map<String, List<Integer>> build = wildcard ? suffixBuild : exactBuild;
        String key = wildcard ? pattern.substring(2) : Patterns.unescape(pattern); // '\*.x' is the name "*.x"
        List<Integer> rules = build.get(key);
        if (rules == null) build.put(key, rules = new ArrayList<>());
        rules.add(rule);
    }

    HostIndex freeze() {
        for (Map.Entry<String, List<Integer>> e : exactBuild.entrySet()) exact.put(e.getKey(), Ints.of(e.getValue()));
        for (Map.Entry<String, List<Integer>> e : suffixBuild.entrySet()) suffix.put(e.getKey(), Ints.of(e.getValue()));
        return this;
    }

    boolean isEmpty() {
        return exact.isEmpty() && suffix.isEmpty();
    }

    /** The best rule whose host pattern matches and whose other conditions hold, starting from {@code best}. */
    int best(
            String host,
            int best,
            int opBit,
            int port,
            int protocolBit,
            RuleTable table,
            RuleCheck check,
            boolean[] applies) {
        if (host == null || host.isEmpty()) return best;
        String h = lower(host);
        int end = h.length();
        if (h.charAt(end - 1) == '.') end--;
        // The exact name, then each suffix after a dot ("a.b.c": "b.c", then "c"); "." is looked up exactly as "".
        for (int start = 0; start == 0 || start < end; start++) {
            int[] rules;
            if (start == 0) rules = exact.get(h, 0, end);
            else if (h.charAt(start - 1) == '.') rules = suffix.get(h, start, end);
            else continue;
            if (rules == null) continue;
            for (int r : rules) {
                if ((table.operationMask[r] & opBit) != 0
                        && (applies == null || applies[r])
                        && check.accepts(r, port, protocolBit)) best = table.better(best, r);
            }
        }
        return best;
    }

    /** Lower-cases only when needed: names are almost always lower case already. */
    private static String lower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z' || c > 127) return s.toLowerCase(java.util.Locale.ROOT);
        }
        return s;
    }

    /** The part of a rule beyond the host that must also hold (ports, protocol). */
    interface RuleCheck {
        boolean accepts(int rule, int port, int protocolBit);
    }
}
