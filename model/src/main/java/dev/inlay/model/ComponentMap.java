package dev.inlay.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The image's component map ({@link LayerLayout#COMPONENTS}): which jar is which package, so that the agent names the
 * code that asked by its package URL rather than by its path (docs/COVERAGE.md, "Attribution"). One line per jar,
 * {@code location<TAB>package URL}, sorted by location; {@code #} starts a comment.
 *
 * <p>Locations are written as the agent derives them from a class's code source: a jar's absolute path
 * ({@code /app/lib/x.jar}), a jar nested in another one with {@code /!} between them
 * ({@code /app/app.jar/!BOOT-INF/lib/x.jar}, for both Spring Boot 3's {@code jar:nested:/app/app.jar/!BOOT-INF/lib/x.jar!/}
 * and the older {@code jar:file:/app/app.jar!/BOOT-INF/lib/x.jar!/}). The scanner writes {@code !/} between an archive
 * and a path inside it; {@link #location} turns that into this form, so both sides agree on one spelling.
 */
public final class ComponentMap {
    private ComponentMap() {}

    /** A scanner location ({@code /app/app.jar!/BOOT-INF/lib/x.jar}) as the agent derives it from a code source. */
    public static String location(String scannerLocation) {
        return scannerLocation.replace("!/", "/!");
    }

    /** Location to package URL as the file's lines; same input, same bytes. */
    public static String write(Map<String, String> purlByLocation) {
        StringBuilder out = new StringBuilder("# location\tpackage URL (docs/COVERAGE.md, \"Attribution\")\n");
        for (Map.Entry<String, String> e : new TreeMap<>(purlByLocation).entrySet()) {
            String location = e.getKey();
            String purl = e.getValue();
            if (location.indexOf('\t') >= 0 || location.indexOf('\n') >= 0 || purl.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a component location or package URL with a tab or line break: "
                        + location.replace("\n", "\\n"));
            }
            out.append(location).append('\t').append(purl).append('\n');
        }
        return out.toString();
    }

    /**
     * The map in a file written by {@link #write}. Plain string operations: the agent reads it in the application's
     * thread at its first attribution.
     *
     * @throws IOException for a line that is not {@code location<TAB>package URL}, naming its number
     */
    public static Map<String, String> read(BufferedReader in) throws IOException {
        Map<String, String> map = new HashMap<>();
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isEmpty() || line.charAt(0) == '#') continue;
            int tab = line.indexOf('\t');
            if (tab <= 0 || tab == line.length() - 1 || line.indexOf('\t', tab + 1) >= 0) {
                throw new IOException("line " + number + " is not 'location<TAB>package URL': " + line);
            }
            map.put(line.substring(0, tab), line.substring(tab + 1));
        }
        return map;
    }
}
