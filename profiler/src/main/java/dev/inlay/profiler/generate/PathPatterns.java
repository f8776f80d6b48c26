package dev.inlay.profiler.generate;

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
    private static final Pattern HEX = Pattern.compile("(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{16,}(?![0-9A-Za-z])");
    private static final Pattern LONG_DIGITS = Pattern.compile("\\d{5,}");
    /** In temporary directories even short numbers are per-run (createTempFile, pids, ports). */
    private static final Pattern TEMP_DIGITS = Pattern.compile("\\d{3,}");
    private static final Pattern NUMBER = Pattern.compile("\\d{2,}");
    private static final Pattern STARS = Pattern.compile("\\*{2,}");

    private PathPatterns() {
    }

    public static boolean inTempDir(String path) {
        for (String t : TEMP_DIRS) if (path.startsWith(t + "/")) return true;
        return false;
    }

    /** {@code /tmp/upload-8812.tmp} becomes {@code /tmp/upload-*.tmp}; {@code /app/lib/a.jar} stays. */
    public static String generalize(String path) {
        boolean temp = inTempDir(path);
        String[] segments = path.split("/", -1);
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) out.append('/');
            out.append(generalizeSegment(segments[i], temp));
        }
        return out.toString();
    }

    static String generalizeSegment(String segment, boolean temp) {
        if (segment.isEmpty()) return segment;
        if (NUMBER.matcher(segment).matches()) return "*";
        String s = UUID.matcher(segment).replaceAll("*");
        s = HEX.matcher(s).replaceAll("*");
        s = (temp ? TEMP_DIGITS : LONG_DIGITS).matcher(s).replaceAll("*");
        return STARS.matcher(s).replaceAll("*");
    }

    /** Generalizes one command-line argument or class-name part: paths as paths, else only long numbers, UUIDs and hashes. */
    public static String generalizeToken(String token) {
        if (token.startsWith("/")) return generalize(token);
        String s = UUID.matcher(token).replaceAll("*");
        s = HEX.matcher(s).replaceAll("*");
        s = LONG_DIGITS.matcher(s).replaceAll("*");
        return STARS.matcher(s).replaceAll("*");
    }

    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    public static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
