package dev.inlay.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded-code line ({@code "inlay":"loaded"}, docs/EVENTS.md): where the classes the JVM loaded came from, each
 * code source's location as the SBOM writes component locations ({@code /app/app.jar!/BOOT-INF/lib/x.jar}) with the
 * distinct packages loaded from it (so that one of several libraries shaded into one jar can be told apart by its
 * packages). Written by the agent on its event thread (never before {@code main()}), read by {@code inlay scan
 * --runtime} to say whether a vulnerable component's code was loaded at all.
 */
public final class LoadedCode {
    public static final String KIND = "loaded";
    public static final String SCHEMA = "schema";
    public static final String AGENT = "agent";
    public static final String RUN = "run";
    public static final String SEQ = "seq";
    public static final String CHUNK = "chunk";
    public static final String CHUNKS = "chunks";
    /** True on the line written at shutdown: the whole run's loaded code, not a snapshot. */
    public static final String FINAL = "final";
    /** The code sources, each an object of {@value #LOCATION} and {@value #PACKAGES}. */
    public static final String SOURCES = "sources";

    public static final String LOCATION = "location";
    public static final String PACKAGES = "packages";

    private LoadedCode() {}

    /**
     * A code source's URL as a location in the image's file tree, in the SBOM's syntax: {@code file:/a/b.jar} is
     * {@code /a/b.jar}; a jar inside a jar ({@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/}, Spring Boot 3.2's
     * {@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/} and {@code nested:...}) is {@code /app.jar!/BOOT-INF/lib/x.jar}
     * (the application's own classes, {@code jar:nested:/app.jar/!BOOT-INF/classes/!/}, {@code
     * /app.jar!/BOOT-INF/classes/});
     * percent escapes are decoded. Null for a URL that names no file ({@code jrt:}, {@code http:}, a generated class).
     */
    public static String location(String url) {
        if (url == null) return null;
        String s = url;
        if (s.startsWith("jar:")) s = s.substring(4);
        boolean nested = false;
        if (s.startsWith("nested:")) {
            s = s.substring(7);
            nested = true;
        } else if (s.startsWith("file:")) {
            s = s.substring(5);
        } else {
            return null;
        }
        if (s.startsWith("//")) s = s.substring(2); // file:///a or file://host/a: only the local form is a path
        if (!s.startsWith("/")) return null;
        if (s.endsWith("!/")) s = s.substring(0, s.length() - 2);
        // Spring Boot's nested form writes the outer jar as a directory: /app.jar/!BOOT-INF/lib/x.jar
        int separator = nested ? s.indexOf("/!") : -1;
        if (separator >= 0) s = s.substring(0, separator) + "!/" + s.substring(separator + 2);
        return decode(s);
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0) return s;
        byte[] out = new byte[s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (c == '%' && hi >= 0 && lo >= 0) {
                out[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                for (byte x : b) out[n++] = x;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The lines for {@code packagesBySource} (location to its packages, in the order to write), each at most {@code
     * maxBytes} of UTF-8: sources are split across lines, and a source with more packages than one line holds is
     * written as several entries with the same location. A single package name longer than a line is left out
     * (none is: the JVM limits class names to 64 KiB, but packages are short).
     */
    public static List<String> lines(
            String agent, String run, long seq, boolean last, Map<String, Set<String>> packagesBySource, int maxBytes) {
        int headerBytes = header(agent, run, seq, 999_999, 999_999, last).getBytes(StandardCharsets.UTF_8).length;
        int budget = maxBytes - headerBytes - 16;
        List<List<String>> chunks = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int size = 0;
        for (Map.Entry<String, Set<String>> source : packagesBySource.entrySet()) {
            for (String item : items(source.getKey(), source.getValue(), budget)) {
                int bytes = item.getBytes(StandardCharsets.UTF_8).length + 1;
                if (size + bytes > budget && !current.isEmpty()) {
                    chunks.add(current);
                    current = new ArrayList<>();
                    size = 0;
                }
                current.add(item);
                size += bytes;
            }
        }
        chunks.add(current);
        List<String> out = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            out.add(header(agent, run, seq, i, chunks.size(), last) + "," + JsonLine.quoted(SOURCES) + ":["
                    + String.join(",", chunks.get(i)) + "]}");
        }
        return out;
    }

    /** One source as entries of at most {@code budget} bytes each. */
    private static List<String> items(String location, Set<String> packages, int budget) {
        List<String> out = new ArrayList<>();
        int base = JsonLine.object()
                        .field(LOCATION, location)
                        .strings(PACKAGES, List.of())
                        .end()
                        .getBytes(StandardCharsets.UTF_8)
                        .length
                + 1;
        if (base > budget) return out; // a path longer than a line: not written
        List<String> part = new ArrayList<>();
        int size = base;
        for (String p : packages) {
            int bytes = p.getBytes(StandardCharsets.UTF_8).length + 3;
            if (base + bytes > budget) continue;
            if (size + bytes > budget && !part.isEmpty()) {
                out.add(item(location, part));
                part = new ArrayList<>();
                size = base;
            }
            part.add(p);
            size += bytes;
        }
        if (!part.isEmpty() || out.isEmpty()) out.add(item(location, part));
        return out;
    }

    private static String item(String location, List<String> packages) {
        return JsonLine.object()
                .field(LOCATION, location)
                .strings(PACKAGES, packages)
                .end();
    }

    private static String header(String agent, String run, long seq, int chunk, int chunks, boolean last) {
        String head = JsonLine.object()
                .field(Event.INLAY, KIND)
                .field(SCHEMA, 1)
                .field(AGENT, agent)
                .field(RUN, run)
                .field(SEQ, seq)
                .field(CHUNK, chunk)
                .field(CHUNKS, chunks)
                .field(FINAL, last)
                .end();
        return head.substring(0, head.length() - 1);
    }
}
