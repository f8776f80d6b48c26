package dev.inlay.policy.engine;

import dev.inlay.policy.Patterns;

/**
 * Matching of one glob segment ({@code *} for any run of characters, {@code \*} a literal {@code *}, {@code \\} a
 * literal backslash) against a region of a string, without allocation.
 */
public final class Globs {
    private Globs() {}

    static boolean isGlob(String segment) {
        return Patterns.hasWildcard(segment);
    }

    static boolean matches(String pattern, String s, int from, int to) {
        // afterStar: the pattern position just after the last unescaped '*', -1 before any
        int p = 0, i = from, afterStar = -1, starI = -1;
        int pn = pattern.length();
        while (i < to) {
            if (p < pn) {
                char c = pattern.charAt(p);
                if (c == '*') {
                    afterStar = ++p;
                    starI = i;
                    continue;
                }
                int width = 1;
                if (c == '\\' && p + 1 < pn) {
                    c = pattern.charAt(p + 1);
                    width = 2;
                }
                if (c == s.charAt(i)) {
                    p += width;
                    i++;
                    continue;
                }
            }
            if (afterStar < 0) return false;
            p = afterStar;
            i = ++starI;
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
            int star = -1;
            int stars = 0;
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '*') {
                    star = i;
                    stars++;
                }
            }
            boolean single = stars == 1;
            this.prefix = single ? Patterns.unescape(pattern.substring(0, star)) : null;
            this.suffix = single ? Patterns.unescape(pattern.substring(star + 1)) : null;
        }

        boolean matches(String s, int from, int to) {
            if (prefix == null) return Globs.matches(pattern, s, from, to);
            int len = to - from;
            return len >= prefix.length() + suffix.length()
                    && s.startsWith(prefix, from)
                    && s.startsWith(suffix, to - suffix.length());
        }
    }

    /**
     * Whether the glob {@code pattern} ({@code *} for any run of characters, {@code \*} and {@code \\} literal, nothing
     * else special) matches all of {@code s}.
     */
    public static boolean matches(String pattern, String s) {
        return matches(pattern, s, 0, s.length());
    }
}
