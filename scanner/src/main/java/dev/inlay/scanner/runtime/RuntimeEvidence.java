package dev.inlay.scanner.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.model.Event;
import dev.inlay.model.LoadedCode;
import dev.inlay.scanner.sbom.SbomWriter;
import dev.inlay.scanner.vuln.Finding;
import dev.inlay.scanner.vuln.ScanResult;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.component.evidence.Occurrence;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The code the agent saw loaded ({@code "inlay":"loaded"} lines, docs/EVENTS.md) in one or more captured runs, and
 * what it says of an SBOM's components: was each one's code loaded at all (docs/SCAN.md, "Run time").
 */
public final class RuntimeEvidence {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Location to the packages loaded from it, over every run read. */
    private final TreeMap<String, Set<String>> sources;

    private RuntimeEvidence(TreeMap<String, Set<String>> sources) {
        this.sources = sources;
    }

    public Map<String, Set<String>> sources() {
        return sources;
    }

    /**
     * Reads the loaded lines of files of captured agent output (the event stream, as {@code inlay profile merge}
     * reads it: other lines and a prefix before the {@code {} are skipped). A file without a single loaded line is
     * refused: it is not such a capture, or comes from an agent that does not write them.
     */
    public static RuntimeEvidence read(List<Path> files) throws IOException {
        TreeMap<String, Set<String>> sources = new TreeMap<>();
        for (Path file : files) {
            int lines = 0;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                int number = 0;
                while ((line = in.readLine()) != null) {
                    number++;
                    if (!line.contains("\"" + LoadedCode.KIND + "\"")) continue;
                    int brace = line.indexOf('{');
                    if (brace < 0) continue;
                    JsonNode node;
                    try {
                        node = JSON.readTree(line.substring(brace));
                    } catch (IOException e) {
                        continue; // not a JSON line: another program's output
                    }
                    if (node == null
                            || !LoadedCode.KIND.equals(node.path(Event.INLAY).asText())) continue;
                    JsonNode list = node.path(LoadedCode.SOURCES);
                    if (!list.isArray()) {
                        throw new IllegalArgumentException(
                                file + ":" + number + ": a loaded line without a \"" + LoadedCode.SOURCES + "\" array");
                    }
                    for (JsonNode source : list) {
                        String location = source.path(LoadedCode.LOCATION).asText("");
                        if (location.isEmpty()) {
                            throw new IllegalArgumentException(file + ":" + number + ": a loaded source without a \""
                                    + LoadedCode.LOCATION + "\"");
                        }
                        Set<String> packages = sources.computeIfAbsent(location, k -> new TreeSet<>());
                        for (JsonNode p : source.path(LoadedCode.PACKAGES)) packages.add(p.asText());
                    }
                    lines++;
                }
            }
            if (lines == 0) {
                throw new IllegalArgumentException(file + ": no \"inlay\":\"" + LoadedCode.KIND
                        + "\" lines (the agent writes them at exit and with each profile snapshot: docs/EVENTS.md)");
            }
        }
        return new RuntimeEvidence(sources);
    }

    /**
     * Whether each component's code was loaded, by {@code bomRef}. A component is found by its locations (the
     * {@code inlay:location} property and the evidence occurrences {@code inlay sbom} writes); where several
     * components share a location (libraries shaded into one jar) by the packages loaded from it: see {@link
     * #byPackages}. Refused when no location of the SBOM was loaded at all: the runs were not of this image.
     */
    public Map<String, Loaded> judge(Bom bom) {
        List<Component> all = new ArrayList<>();
        flatten(bom.getComponents(), all);
        Map<String, List<Component>> byLocation = new HashMap<>();
        Map<Component, Set<String>> locations = new HashMap<>();
        for (Component c : all) {
            Set<String> ls = locations(c);
            locations.put(c, ls);
            for (String l : ls)
                byLocation.computeIfAbsent(l, k -> new ArrayList<>()).add(c);
        }
        boolean anyMatched = false;
        Map<String, Loaded> out = new HashMap<>();
        for (Component c : all) {
            if (c.getBomRef() == null) continue;
            Set<String> ls = locations.get(c);
            if (ls.isEmpty() || !javaCode(c, ls)) {
                out.put(c.getBomRef(), Loaded.UNKNOWN);
                continue;
            }
            Loaded verdict = Loaded.FALSE;
            for (String l : ls) {
                Set<String> packages = loadedFrom(l);
                if (packages == null) continue;
                anyMatched = true;
                List<Component> sharing = byLocation.get(l);
                // The archive itself (inlay sbom's parent of what it found inside a jar) holds all of it.
                boolean archive =
                        c.getComponents() != null && !c.getComponents().isEmpty();
                Loaded here = sharing.size() <= 1 || archive ? Loaded.TRUE : byPackages(c, sharing, packages);
                if (here.ordinal() < verdict.ordinal()) verdict = here;
            }
            out.put(c.getBomRef(), verdict);
        }
        if (!anyMatched && out.containsValue(Loaded.FALSE)) {
            throw new IllegalArgumentException("none of the " + sources.size()
                    + " code sources in the runtime files is a location of this SBOM's components (were they"
                    + " captured from this image?"
                    + (sources.isEmpty() ? ")" : " e.g. " + sources.firstKey() + ")"));
        }
        return out;
    }

    /**
     * The findings, loaded first, then unknown, then not loaded; in each group the scan's order (severity first).
     */
    public static ScanResult rank(ScanResult scan, Map<String, Loaded> loaded) {
        List<Finding> findings = new ArrayList<>(scan.findings());
        findings.sort(Comparator.comparing((Finding f) -> of(loaded, f).ordinal()));
        return new ScanResult(
                List.copyOf(findings), scan.components(), scan.notLookedUp(), scan.problems(), scan.advisories());
    }

    public static Loaded of(Map<String, Loaded> loaded, Finding f) {
        Loaded l =
                f.component().bomRef() == null ? null : loaded.get(f.component().bomRef());
        return l == null ? Loaded.UNKNOWN : l;
    }

    /**
     * The packages loaded from {@code location}, or null when nothing was: classes from the location itself, or,
     * for an application archive, from its own classes inside it ({@code /app.jar!/BOOT-INF/classes}).
     */
    private Set<String> loadedFrom(String location) {
        Set<String> packages = sources.get(location);
        Set<String> within = null;
        for (Map.Entry<String, Set<String>> s :
                sources.tailMap(location + "!/", true).entrySet()) {
            if (!s.getKey().startsWith(location + "!/")) break;
            String inner = s.getKey().substring(location.length() + 2);
            if (inner.endsWith(".jar") || inner.contains("!/")) continue; // a nested jar is a component of its own
            if (within == null) within = new TreeSet<>();
            within.addAll(s.getValue());
        }
        if (within == null) return packages;
        if (packages != null) within.addAll(packages);
        return within;
    }

    /**
     * One of several components in one jar: loaded when a package loaded from the jar is one of its names (its
     * group, {@code group.artifact} or the artifact's words: {@code commons-collections} is {@code
     * org.apache.commons.collections}, also under a relocation prefix). Otherwise not loaded, unless a loaded package
     * that no component of the jar is named after could be this one's: one that shares a distinctive word with its
     * coordinates (Guava's {@code com.google.common} and {@code com.google.guava}) is unknown, never "not loaded";
     * one of a library the SBOM does not list ({@code org.h2} in the docservice's jar) says nothing of it.
     */
    static Loaded byPackages(Component c, List<Component> sharing, Set<String> packages) {
        boolean couldBeIt = false;
        for (String p : packages) {
            if (claims(c, p)) return Loaded.TRUE;
            boolean claimed = false;
            for (Component other : sharing) if (other != c && claims(other, p)) claimed = true;
            if (!claimed && sharesAWord(c, p)) couldBeIt = true;
        }
        return couldBeIt ? Loaded.UNKNOWN : Loaded.FALSE;
    }

    /** Words too common in coordinates and packages to tell libraries apart. */
    private static final Set<String> GENERIC = Set.of(
            "org",
            "com",
            "net",
            "io",
            "dev",
            "de",
            "fr",
            "uk",
            "eu",
            "apache",
            "java",
            "javax",
            "jakarta",
            "core",
            "api",
            "common",
            "commons",
            "impl",
            "lib",
            "libs",
            "parent",
            "all",
            "jdk",
            "util",
            "utils",
            "internal",
            "spi",
            "main",
            "project",
            "projects",
            "github",
            "sourceforge",
            "sf",
            "code");

    static boolean sharesAWord(Component c, String pkg) {
        Set<String> words = new LinkedHashSet<>();
        for (String s : new String[] {c.getGroup(), c.getName()}) {
            if (s == null) continue;
            for (String w : s.toLowerCase(java.util.Locale.ROOT).split("[.\\-_]")) {
                if (w.length() >= 2 && !GENERIC.contains(w)) words.add(w);
            }
        }
        for (String segment : pkg.toLowerCase(java.util.Locale.ROOT).split("\\.")) {
            if (GENERIC.contains(segment)) continue;
            for (String w : words) {
                if (segment.equals(w)
                        || (w.length() >= 4 && segment.contains(w))
                        || (segment.length() >= 4 && w.contains(segment))) return true;
            }
        }
        return false;
    }

    static boolean claims(Component c, String pkg) {
        for (String hint : hints(c)) {
            if (pkg.equals(hint)
                    || pkg.startsWith(hint + ".")
                    || pkg.endsWith("." + hint)
                    || pkg.contains("." + hint + ".")) return true;
        }
        return false;
    }

    private static Set<String> hints(Component c) {
        Set<String> hints = new LinkedHashSet<>();
        String group = c.getGroup();
        String name = c.getName() == null ? "" : javaName(c.getName());
        if (group != null && group.contains(".")) {
            hints.add(group);
            if (!name.isEmpty()) hints.add(group + "." + name);
        }
        if (name.contains(".")) hints.add(name);
        return hints;
    }

    /** {@code log4j-core} as a package would spell it: {@code log4j.core}. */
    private static String javaName(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replace('-', '.').replace('_', '.');
    }

    /**
     * Only Java code has a code source: the JDK's own classes have none, an OS package's native code is never a
     * class's origin; of those the run says nothing (unknown).
     */
    private static boolean javaCode(Component c, Set<String> locations) {
        if (c.getPurl() != null) return c.getPurl().startsWith("pkg:maven/");
        for (String l : locations) if (l.endsWith(".jar") || l.endsWith(".war") || l.contains("!/")) return true;
        return false;
    }

    private static Set<String> locations(Component c) {
        Set<String> out = new LinkedHashSet<>();
        if (c.getProperties() != null) {
            for (Property p : c.getProperties()) {
                if (SbomWriter.PROPERTY_LOCATION.equals(p.getName()) && p.getValue() != null) out.add(p.getValue());
            }
        }
        if (c.getEvidence() != null && c.getEvidence().getOccurrences() != null) {
            for (Occurrence o : c.getEvidence().getOccurrences()) if (o.getLocation() != null) out.add(o.getLocation());
        }
        return out;
    }

    private static void flatten(List<Component> list, List<Component> out) {
        if (list == null) return;
        for (Component c : list) {
            out.add(c);
            flatten(c.getComponents(), out);
        }
    }
}
