package dev.inlay.scanner.vuln;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Alpine's apk version ordering (apk-tools' version.c, the Gentoo rules it follows):
 * {@code NUMBER(.NUMBER)*[LETTER](_SUFFIX[NUMBER])*[~HASH][-rNUMBER]}. Numbers compare as numbers, except a part after
 * the first that starts with {@code 0}, which compares as a decimal fraction ({@code 1.01 < 1.1}); more parts is later;
 * a letter is later than none; suffixes order {@code _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg
 * < _p}; the revision {@code -rN} last.
 */
final class ApkVersionOrder {
    private ApkVersionOrder() {}

    private static final List<String> SUFFIXES =
            List.of("alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p");
    private static final int NO_SUFFIX = 4;

    private record Suffix(int rank, BigInteger number) {}

    private record Parsed(List<String> parts, int letter, List<Suffix> suffixes, BigInteger revision) {}

    static int compareVersions(String a, String b) {
        Parsed x = parse(a);
        Parsed y = parse(b);
        int n = Math.min(x.parts.size(), y.parts.size());
        for (int i = 0; i < n; i++) {
            int c = comparePart(x.parts.get(i), y.parts.get(i), i == 0);
            if (c != 0) return c;
        }
        if (x.parts.size() != y.parts.size()) return Integer.compare(x.parts.size(), y.parts.size());
        if (x.letter != y.letter) return Integer.compare(x.letter, y.letter);
        int m = Math.max(x.suffixes.size(), y.suffixes.size());
        for (int i = 0; i < m; i++) {
            Suffix sx = i < x.suffixes.size() ? x.suffixes.get(i) : new Suffix(NO_SUFFIX, BigInteger.ZERO);
            Suffix sy = i < y.suffixes.size() ? y.suffixes.get(i) : new Suffix(NO_SUFFIX, BigInteger.ZERO);
            if (sx.rank != sy.rank) return Integer.compare(sx.rank, sy.rank);
            int c = sx.number.compareTo(sy.number);
            if (c != 0) return Integer.signum(c);
        }
        return Integer.signum(x.revision.compareTo(y.revision));
    }

    private static int comparePart(String a, String b, boolean first) {
        if (!first && (a.startsWith("0") || b.startsWith("0"))) {
            // A fraction: 1.01 < 1.1, 1.010 == 1.01.
            String fa = stripTrailingZeros(a);
            String fb = stripTrailingZeros(b);
            return Integer.signum(fa.compareTo(fb));
        }
        return Integer.signum(new BigInteger(a).compareTo(new BigInteger(b)));
    }

    private static String stripTrailingZeros(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '0') end--;
        return s.substring(0, end);
    }

    private static Parsed parse(String v) {
        String s = v.strip();
        int i = 0;
        List<String> parts = new ArrayList<>();
        while (true) {
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) i++;
            if (i == start) throw bad(v, "a number expected at " + start);
            parts.add(s.substring(start, i));
            if (i < s.length() && s.charAt(i) == '.' && i + 1 < s.length() && isDigit(s.charAt(i + 1))) {
                i++;
                continue;
            }
            break;
        }
        int letter = 0;
        if (i < s.length() && s.charAt(i) >= 'a' && s.charAt(i) <= 'z') letter = s.charAt(i++);
        List<Suffix> suffixes = new ArrayList<>();
        while (i < s.length() && s.charAt(i) == '_') {
            int start = ++i;
            while (i < s.length() && s.charAt(i) >= 'a' && s.charAt(i) <= 'z') i++;
            int rank = SUFFIXES.indexOf(s.substring(start, i));
            if (rank < 0 || rank == NO_SUFFIX) throw bad(v, "unknown suffix _" + s.substring(start, i));
            int numStart = i;
            while (i < s.length() && isDigit(s.charAt(i))) i++;
            suffixes.add(new Suffix(rank, numStart == i ? BigInteger.ZERO : new BigInteger(s.substring(numStart, i))));
        }
        if (i < s.length() && s.charAt(i) == '~') {
            // A commit hash: apk orders by it only after everything else; ignoring it is the conservative choice.
            i++;
            while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) i++;
        }
        BigInteger revision = BigInteger.ZERO;
        if (s.startsWith("-r", i)) {
            int start = i + 2;
            i = start;
            while (i < s.length() && isDigit(s.charAt(i))) i++;
            if (i == start) throw bad(v, "a number expected after -r");
            revision = new BigInteger(s.substring(start, i));
        }
        if (i != s.length()) throw bad(v, "unexpected '" + s.substring(i) + "'");
        return new Parsed(parts, letter, suffixes, revision);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException bad(String v, String why) {
        return new IllegalArgumentException("not an Alpine version (" + why + "): " + v);
    }
}
