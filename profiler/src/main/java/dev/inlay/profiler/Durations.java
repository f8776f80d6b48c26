package dev.inlay.profiler;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on a command line: {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}, or ISO {@code PT2H}. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)([smhdw])");

    private Durations() {}

    public static Duration parse(String text) {
        String s = text.trim();
        Matcher m = SHORT.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new ProfilerInputException("bad duration '" + text + "' (use e.g. 30m, 12h, 7d or PT2H)");
        }
    }

    /** The inverse of {@link #parse} for whole units, for messages: {@code 7d}, {@code 90m}, {@code 5s}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s != 0 && s % 86400 == 0) return s / 86400 + "d";
        if (s != 0 && s % 3600 == 0) return s / 3600 + "h";
        if (s != 0 && s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
