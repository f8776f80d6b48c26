package dev.inlay.scanner.inventory;

import dev.inlay.scanner.inventory.FoundComponent.Evidence;
import dev.inlay.scanner.inventory.FoundComponent.Kind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Parsers of the system files the inventory reads: dpkg status, apk installed, a JDK's release, os-release, DEP-5. */
public final class SystemFiles {
    private SystemFiles() {}

    /**
     * The packages of a dpkg status file, or of one file of {@code status.d/} (distroless writes one per package,
     * without a Status field). A paragraph whose Status is not "installed" (removed, half-configured) is left out.
     */
    public static List<FoundComponent> dpkgStatus(String path, String text) {
        List<FoundComponent> out = new ArrayList<>();
        for (Map<String, String> p : paragraphs(text)) {
            String name = p.get("Package");
            String version = p.get("Version");
            if (name == null || version == null) continue;
            String status = p.get("Status");
            if (status != null && !status.endsWith(" installed")) continue;
            Map<String, String> attributes = new LinkedHashMap<>();
            if (p.get("Architecture") != null) attributes.put("arch", p.get("Architecture"));
            // Debian's advisories name source packages: "Source: glibc (2.36-9)" gives it and its version when they
            // differ
            // from the binary package's; without the field the source package has the binary's name and version.
            String source = p.get("Source");
            String[] parts =
                    source == null ? new String[] {name} : source.trim().split("\\s+", 2);
            attributes.put("source", parts[0]);
            attributes.put(
                    "sourceVersion",
                    parts.length > 1 ? parts[1].replaceAll("[()]", "").trim() : version);
            out.add(new FoundComponent(
                    Kind.DEB,
                    null,
                    name,
                    version,
                    List.of(),
                    Evidence.PACKAGE_DATABASE,
                    path,
                    Evidence.PACKAGE_DATABASE.confidence,
                    path,
                    attributes,
                    List.of()));
        }
        return out;
    }

    /** The packages of apk's {@code /lib/apk/db/installed}: paragraphs of one-letter keys (P name, V version, A arch, L licence). */
    public static List<FoundComponent> apkInstalled(String path, String text) {
        List<FoundComponent> out = new ArrayList<>();
        Map<String, String> p = new LinkedHashMap<>();
        for (String line : (text + "\n\n").split("\n", -1)) {
            if (line.isEmpty()) {
                if (p.get("P") != null && p.get("V") != null) {
                    Map<String, String> attributes = new LinkedHashMap<>();
                    if (p.get("A") != null) attributes.put("arch", p.get("A"));
                    if (p.get("o") != null) attributes.put("origin", p.get("o"));
                    List<String> licences = p.get("L") == null ? List.of() : List.of(p.get("L"));
                    out.add(new FoundComponent(
                            Kind.APK,
                            null,
                            p.get("P"),
                            p.get("V"),
                            licences,
                            Evidence.PACKAGE_DATABASE,
                            path,
                            Evidence.PACKAGE_DATABASE.confidence,
                            path,
                            attributes,
                            List.of()));
                }
                p.clear();
            } else if (line.length() >= 2 && line.charAt(1) == ':') {
                p.putIfAbsent(line.substring(0, 1), line.substring(2).trim());
            }
        }
        return out;
    }

    /** A JDK's {@code release} file as a component, or null if it names no JAVA_VERSION (not a JDK's). */
    public static FoundComponent jdkRelease(String path, String text) {
        Map<String, String> values = shellValues(text);
        String version = values.get("JAVA_VERSION");
        if (version == null) return null;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String key : List.of("IMPLEMENTOR", "IMPLEMENTOR_VERSION", "JAVA_RUNTIME_VERSION", "JAVA_VERSION_DATE")) {
            if (values.get(key) != null) attributes.put(key, values.get(key));
        }
        String home = path.substring(0, path.length() - "/release".length());
        return new FoundComponent(
                Kind.JDK,
                null,
                "openjdk",
                version,
                List.of("GPL-2.0-only WITH Classpath-exception-2.0"),
                Evidence.RELEASE_FILE,
                path,
                Evidence.RELEASE_FILE.confidence,
                home.isEmpty() ? "/" : home,
                attributes,
                List.of());
    }

    /** KEY=value and KEY="value" lines (os-release, a JDK's release). */
    public static Map<String, String> shellValues(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) continue;
            String v = line.substring(eq + 1).trim();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            out.put(line.substring(0, eq).trim(), v);
        }
        return out;
    }

    /**
     * The licences of a machine-readable Debian copyright file (DEP-5: a first paragraph with {@code Format:}): the
     * short name of every {@code License:} field, in order, once each. Empty for a free-form file: no guessing.
     */
    public static List<String> dep5Licences(String text) {
        List<Map<String, String>> paragraphs = paragraphs(text);
        if (paragraphs.isEmpty() || paragraphs.get(0).get("Format") == null) return List.of();
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (Map<String, String> p : paragraphs) {
            String licence = p.get("License");
            if (licence == null) continue;
            String firstLine = licence.split("\n", 2)[0].trim();
            if (!firstLine.isEmpty()) out.add(firstLine);
        }
        return List.copyOf(out);
    }

    /** RFC 822-style paragraphs (dpkg status, DEP-5): continuation lines start with a space. */
    static List<Map<String, String>> paragraphs(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> p = new LinkedHashMap<>();
        String last = null;
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            if (line.isBlank()) {
                if (!p.isEmpty()) out.add(p);
                p = new LinkedHashMap<>();
                last = null;
            } else if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                p.put(last, p.get(last) + "\n" + line.trim());
            } else if (!line.startsWith("#")) {
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                last = line.substring(0, colon);
                p.putIfAbsent(last, line.substring(colon + 1).trim());
            }
        }
        if (!p.isEmpty()) out.add(p);
        return out;
    }
}
