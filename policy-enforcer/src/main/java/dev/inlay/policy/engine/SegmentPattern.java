package dev.inlay.policy.engine;

/**
 * One pattern over separated names, matched on its own (for categories matched rule by rule): segments with
 * {@code *} globs, and a final {@code **} for everything below.
 */
final class SegmentPattern {
    private final String[] segments;
    private final boolean subtree;
    private final char separator;
    private final int start;

    SegmentPattern(String pattern, char separator, boolean leadingSeparator) {
        this.separator = separator;
        this.start = leadingSeparator ? 1 : 0;
        String body = pattern.length() > start ? pattern.substring(start) : "";
        String[] parts =
                body.isEmpty() ? new String[0] : body.split(separator == '.' ? "\\." : String.valueOf(separator), -1);
        boolean sub = parts.length > 0 && parts[parts.length - 1].equals("**");
        this.subtree = sub;
        this.segments = sub ? java.util.Arrays.copyOf(parts, parts.length - 1) : parts;
    }

    boolean matches(String s) {
        if (start == 1 && (s.isEmpty() || s.charAt(0) != separator)) return false;
        int pos = Math.min(start, s.length());
        int len = s.length();
        for (String seg : segments) {
            if (pos >= len) return false;
            int end = s.indexOf(separator, pos);
            if (end < 0) end = len;
            if (!Globs.matches(seg, s, pos, end)) return false;
            pos = end == len ? len : end + 1;
        }
        return subtree || pos >= len;
    }
}
