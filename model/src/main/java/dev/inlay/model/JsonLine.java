package dev.inlay.model;

import java.util.List;
import java.util.Map;

/**
 * Writes one line of the event stream, a JSON object (docs/EVENTS.md, docs/PROFILE.md); escapes strings.
 *
 * <p>Hand-written rather than a JSON library: the agent writes its first lines before the application's
 * {@code main()}, where every class loaded counts (a general-purpose library brings hundreds and their reflection or
 * lambda bootstrapping), and it runs inside applications that bring their own, incompatible, versions of those
 * libraries. It appends to one {@link StringBuilder} and never parses: the agent only writes JSON. Readers (the
 * profiler) parse with a JSON library into the same typed values ({@link Behavior#read}, {@link Event#read}).
 */
public final class JsonLine {
    private final StringBuilder out;
    private boolean first = true;

    private JsonLine(StringBuilder out) {
        this.out = out;
    }

    public static JsonLine object() {
        JsonLine json = new JsonLine(new StringBuilder(256));
        json.out.append('{');
        return json;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC. Not through {@code DateTimeFormatter}: building one costs milliseconds
     * of the application's startup, and this format needs only the calendar date.
     */
    public static String time(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        int ofDay = (int) Math.floorMod(epochMillis, 86_400_000L);
        // The proleptic Gregorian date of a day count (H. Hinnant's days_from_civil, inverted), computed here rather
        // than with java.time: the first status line comes before main(), where initializing java.time's calendar
        // classes cost 1-2 ms. JsonAndConfigTest compares it with the JDK's formatting over thousands of years.
        long shifted = days + 719_468; // from 0000-03-01
        long era = Math.floorDiv(shifted, 146_097);
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        StringBuilder s = new StringBuilder(24);
        pad(s, year, 4).append('-');
        pad(s, month, 2).append('-');
        pad(s, day, 2).append('T');
        pad(s, ofDay / 3_600_000, 2).append(':');
        pad(s, ofDay / 60_000 % 60, 2).append(':');
        pad(s, ofDay / 1000 % 60, 2).append('.');
        pad(s, ofDay % 1000, 3).append('Z');
        return s.toString();
    }

    private static StringBuilder pad(StringBuilder s, int value, int width) {
        for (int limit = 10, i = 1; i < width; i++, limit *= 10) {
            if (value < limit) s.append('0');
        }
        return s.append(value);
    }

    private JsonLine name(String name) {
        if (!first) out.append(',');
        first = false;
        string(out, name);
        out.append(':');
        return this;
    }

    public JsonLine field(String name, String value) {
        if (value == null) return this;
        name(name);
        string(out, value);
        return this;
    }

    public JsonLine field(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    public JsonLine field(String name, boolean value) {
        name(name);
        out.append(value);
        return this;
    }

    public JsonLine strings(String name, List<String> values) {
        if (values == null) return this;
        name(name);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.append(',');
            string(out, values.get(i));
        }
        out.append(']');
        return this;
    }

    public JsonLine object(String name, Map<String, ?> values) {
        if (values == null) return this;
        name(name);
        out.append('{');
        boolean firstEntry = true;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            if (!firstEntry) out.append(',');
            firstEntry = false;
            string(out, e.getKey());
            out.append(':');
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean) out.append(v);
            else string(out, String.valueOf(v));
        }
        out.append('}');
        return this;
    }

    /** Appends an already written JSON value (an object or an array of them). */
    public JsonLine raw(String name, String json) {
        name(name);
        out.append(json);
        return this;
    }

    public String end() {
        out.append('}');
        return out.toString();
    }

    public static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20
                            || c == 0x2028
                            || c == 0x2029
                            || Character.isSurrogate(c) && !validSurrogate(s, i, c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogate(String s, int i, char c) {
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    public static String quoted(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        string(sb, s);
        return sb.toString();
    }
}
