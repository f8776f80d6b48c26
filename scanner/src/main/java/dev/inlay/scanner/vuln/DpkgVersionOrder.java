package dev.inlay.scanner.vuln;

/**
 * dpkg's version ordering (deb-version(7), dpkg's lib/dpkg/version.c {@code dpkg_version_compare}): epoch as a number,
 * then upstream version and Debian revision each compared by {@code verrevcmp}, where non-digit runs compare
 * character by character with letters before non-letters and {@code ~} before everything, even the end of the
 * string, and digit runs compare as numbers. Written here because no well-kept Java library implements it; the tests
 * hold dpkg's own edge cases.
 */
final class DpkgVersionOrder {
    private DpkgVersionOrder() {}

    static int compareVersions(String a, String b) {
        Parsed x = parse(a);
        Parsed y = parse(b);
        int c = Long.compare(x.epoch, y.epoch);
        if (c != 0) return c;
        c = verrevcmp(x.upstream, y.upstream);
        if (c != 0) return Integer.signum(c);
        return Integer.signum(verrevcmp(x.revision, y.revision));
    }

    private record Parsed(long epoch, String upstream, String revision) {}

    private static Parsed parse(String v) {
        String s = v.strip();
        if (s.isEmpty()) throw new IllegalArgumentException("an empty Debian version");
        long epoch = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String e = s.substring(0, colon);
            if (e.isEmpty() || !e.chars().allMatch(ch -> ch >= '0' && ch <= '9') || e.length() > 9) {
                throw new IllegalArgumentException("not a Debian version (bad epoch): " + v);
            }
            epoch = Long.parseLong(e);
            s = s.substring(colon + 1);
        }
        String upstream = s;
        String revision = "";
        int dash = s.lastIndexOf('-');
        if (dash >= 0) {
            upstream = s.substring(0, dash);
            revision = s.substring(dash + 1);
            if (revision.isEmpty()) throw new IllegalArgumentException("not a Debian version (empty revision): " + v);
        }
        if (upstream.isEmpty())
            throw new IllegalArgumentException("not a Debian version (empty upstream version): " + v);
        // dpkg warns about but accepts an upstream version not starting with a digit; so does this.
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(Character.isLetterOrDigit(ch) && ch < 128) && ".+-~:".indexOf(ch) < 0) {
                throw new IllegalArgumentException("not a Debian version (character '" + ch + "'): " + v);
            }
        }
        return new Parsed(epoch, upstream, revision);
    }

    private static int order(int c) {
        if (c >= '0' && c <= '9') return 0;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return c;
        if (c == '~') return -1;
        if (c != 0) return c + 256;
        return 0;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int ac = order(at(a, i));
                int bc = order(at(b, j));
                if (ac != bc) return ac - bc;
                i++;
                j++;
            }
            while (at(a, i) == '0') i++;
            while (at(b, j) == '0') j++;
            while (isDigit(at(a, i)) && isDigit(at(b, j))) {
                if (firstDiff == 0) firstDiff = at(a, i) - at(b, j);
                i++;
                j++;
            }
            if (isDigit(at(a, i))) return 1;
            if (isDigit(at(b, j))) return -1;
            if (firstDiff != 0) return firstDiff;
        }
        return 0;
    }

    private static int at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }
}
