package dev.inlay.policy.engine;

/** Matching of one glob segment ({@code *} for any run of characters) against a region of a string, without allocation. */
public final class Globs {
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

    /**
     * A glob segment compiled for the common shapes: a single {@code *} ({@code *.jar}, {@code upload-*.tmp}) is a
     * prefix and suffix comparison; anything else falls back to {@link #matches(String, String, int, int)}.
     */
    static final class Compiled {
        final String pattern;
        private final String prefix;
        private final String suffix;

        Compiled(String pattern) {
            this.pattern = pattern;
            int star = pattern.indexOf('*');
            boolean single = star >= 0 && pattern.indexOf('*', star + 1) < 0;
            this.prefix = single ? pattern.substring(0, star) : null;
            this.suffix = single ? pattern.substring(star + 1) : null;
        }

        boolean matches(String s, int from, int to) {
            if (prefix == null) return Globs.matches(pattern, s, from, to);
            int len = to - from;
            return len >= prefix.length() + suffix.length()
                    && s.startsWith(prefix, from) && s.startsWith(suffix, to - suffix.length());
        }
    }

    /** Whether the glob {@code pattern} ({@code *} for any run of characters, nothing else special) matches all of {@code s}. */
    public static boolean matches(String pattern, String s) {
        return matches(pattern, s, 0, s.length());
    }
}
