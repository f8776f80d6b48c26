package dev.inlay.scanner.vuln;

import java.math.BigInteger;
import java.util.List;

/**
 * Semantic Versioning 2.0.0 precedence, as OSV's {@code SEMVER} ranges use it: major.minor.patch numerically, a
 * pre-release before its release, pre-release identifiers numeric-before-alphanumeric, build metadata ignored. A
 * leading {@code v} and missing minor or patch parts are accepted (OSV's Go records have the first).
 */
final class SemverOrder {
    private SemverOrder() {}

    private record Parsed(BigInteger[] core, List<String> pre) {}

    static int compareVersions(String a, String b) {
        Parsed x = parse(a);
        Parsed y = parse(b);
        for (int i = 0; i < 3; i++) {
            int c = x.core[i].compareTo(y.core[i]);
            if (c != 0) return Integer.signum(c);
        }
        if (x.pre.isEmpty() || y.pre.isEmpty()) return Boolean.compare(x.pre.isEmpty(), y.pre.isEmpty());
        int n = Math.min(x.pre.size(), y.pre.size());
        for (int i = 0; i < n; i++) {
            String p = x.pre.get(i);
            String q = y.pre.get(i);
            boolean pn = isNumber(p);
            boolean qn = isNumber(q);
            int c;
            if (pn && qn) c = new BigInteger(p).compareTo(new BigInteger(q));
            else if (pn != qn) c = pn ? -1 : 1;
            else c = p.compareTo(q);
            if (c != 0) return Integer.signum(c);
        }
        return Integer.compare(x.pre.size(), y.pre.size());
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    private static Parsed parse(String v) {
        String s = v.strip();
        if (s.startsWith("v")) s = s.substring(1);
        int plus = s.indexOf('+');
        if (plus >= 0) s = s.substring(0, plus);
        List<String> pre = List.of();
        int dash = s.indexOf('-');
        if (dash >= 0) {
            pre = List.of(s.substring(dash + 1).split("\\.", -1));
            s = s.substring(0, dash);
            for (String p : pre) if (p.isEmpty()) throw new IllegalArgumentException("not a semantic version: " + v);
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length > 3) throw new IllegalArgumentException("not a semantic version: " + v);
        BigInteger[] core = {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO};
        for (int i = 0; i < parts.length; i++) {
            if (!isNumber(parts[i])) throw new IllegalArgumentException("not a semantic version: " + v);
            core[i] = new BigInteger(parts[i]);
        }
        return new Parsed(core, pre);
    }
}
