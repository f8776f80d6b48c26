package dev.inlay.profiler.generate;

import dev.inlay.policy.Patterns;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Generalizes the parts of a path that differ from run to run (temporary names, numbers, UUIDs, hashes) into
 * {@code *} within one segment. Never produces {@code **} and never widens a segment that looks stable.
 */
public final class PathPatterns {
    static final List<String> TEMP_DIRS = List.of("/tmp", "/var/tmp", "/dev/shm");

    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Hex of 16 or more characters with at least one digit and one letter: hashes, digests, random ids. */
    private static final Pattern HEX =
            Pattern.compile("(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{16,}(?![0-9A-Za-z])");

    private static final Pattern LONG_DIGITS = Pattern.compile("\\d{5,}");
    /** In temporary directories even short numbers are per-run (createTempFile, pids, ports). */
    private static final Pattern TEMP_DIGITS = Pattern.compile("\\d{3,}");

    private static final Pattern NUMBER = Pattern.compile("\\d{2,}");
    /** Marks a generalized part while a name is rewritten; a noncharacter, so that no real name is mistaken for it. */
    static final char GENERALIZED = '\uFFFF';

    private static final String MARK = String.valueOf(GENERALIZED);
    private static final Pattern MARKS = Pattern.compile("\uFFFF{2,}");

    private PathPatterns() {}

    public static boolean inTempDir(String path) {
        for (String t : TEMP_DIRS) if (path.startsWith(t + "/")) return true;
        return false;
    }

    /**
     * {@code /tmp/upload-8812.tmp} becomes {@code /tmp/upload-*.tmp}; {@code /app/lib/a.jar} stays. The result is a
     * pattern: the learned characters are literal ({@code *} and {@code \} escaped, docs/POLICY.md), only the parts
     * generalized here are wildcards.
     */
    public static String generalize(String path) {
        return generalize(path, inTempDir(path));
    }

    /** As {@link #generalize(String)}, with {@code temp} saying whether the path lies in a temporary directory. */
    public static String generalize(String path, boolean temp) {
        if (path.indexOf(GENERALIZED) >= 0) return Patterns.literal(path);
        String[] segments = path.split("/", -1);
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) out.append('/');
            out.append(generalizeSegment(segments[i], temp));
        }
        return toPattern(out.toString());
    }

    /** The segment with its varying parts replaced by {@link #GENERALIZED} (not yet a pattern). */
    static String generalizeSegment(String segment, boolean temp) {
        if (segment.isEmpty()) return segment;
        if (NUMBER.matcher(segment).matches()) return MARK;
        String s = UUID.matcher(segment).replaceAll(MARK);
        s = HEX.matcher(s).replaceAll(MARK);
        s = (temp ? TEMP_DIGITS : LONG_DIGITS).matcher(s).replaceAll(MARK);
        return MARKS.matcher(s).replaceAll(MARK);
    }

    /** Generalizes one command-line argument: paths as paths, else only long numbers, UUIDs and hashes. A pattern. */
    public static String generalizeToken(String token) {
        if (token.startsWith("/")) return generalize(token);
        if (token.indexOf(GENERALIZED) >= 0) return Patterns.literal(token);
        String s = UUID.matcher(token).replaceAll(MARK);
        s = HEX.matcher(s).replaceAll(MARK);
        s = LONG_DIGITS.matcher(s).replaceAll(MARK);
        return toPattern(MARKS.matcher(s).replaceAll(MARK));
    }

    /**
     * A learned name in which the generalizers marked their wildcards with {@link #GENERALIZED}, as a pattern: the
     * marks become {@code *}, every learned {@code *} and {@code \} is escaped. A name that holds the mark itself is
     * never generalized (callers check), so no learned character can turn into a wildcard.
     */
    static String toPattern(String marked) {
        StringBuilder out = new StringBuilder(marked.length() + 4);
        for (int i = 0; i < marked.length(); i++) {
            char c = marked.charAt(i);
            if (c == GENERALIZED) {
                out.append('*');
            } else {
                if (c == '*' || c == '\\') out.append('\\');
                out.append(c);
            }
        }
        return out.toString();
    }

    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    public static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
