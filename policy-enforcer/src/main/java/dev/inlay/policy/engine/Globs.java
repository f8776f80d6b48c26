package dev.inlay.policy.engine;

/** Matching of one glob segment ({@code *} for any run of characters) against a region of a string, without allocation. */
final class Globs {
    private Globs() {
    }

    static boolean isGlob(String segment) {
        return segment.indexOf('*') >= 0;
    }

    static boolean matches(String pattern, String s, int from, int to) {
        int p = 0, i = from, starP = -1, starI = -1;
        int pn = pattern.length();
        while (i < to) {
            if (p < pn && pattern.charAt(p) == '*') {
                starP = p++;
                starI = i;
            } else if (p < pn && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (starP >= 0) {
                p = starP + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (p < pn && pattern.charAt(p) == '*') p++;
        return p == pn;
    }

    static boolean matches(String pattern, String s) {
        return matches(pattern, s, 0, s.length());
    }
}
