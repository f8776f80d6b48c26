package dev.inlay.runtime;

import dev.inlay.model.LoadedCode;

import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the loaded classes came from ({@code "inlay":"loaded"} lines, docs/EVENTS.md): each class's code source,
 * as a location in the SBOM's syntax, with the packages loaded from it. Runs on the event thread only, with each
 * profile snapshot (when something new was loaded) and at shutdown (always, {@code final}); never on a checked
 * operation's path nor before {@code main()}. JDK classes (no code source) and the agent's own jar are left out.
 */
final class LoadedCodeReport implements EventStream.Task {
    private final Instrumentation inst;
    private final String agentVersion;
    private final String run;
    private final String agentJar;
    private long seq;
    private int reportedPackages = -1;

    LoadedCodeReport(Instrumentation inst, String agentVersion, String run, String agentJar) {
        this.inst = inst;
        this.agentVersion = agentVersion;
        this.run = run;
        this.agentJar = agentJar;
    }

    @Override
    public List<String> run(boolean atShutdown) {
        Map<String, Set<String>> sources = loaded(inst.getAllLoadedClasses(), agentJar);
        int packages = 0;
        for (Set<String> p : sources.values()) packages += p.size();
        // Code is only ever added (a class unloaded stays "loaded": it ran): a count that did not move is no news.
        if (!atShutdown && packages == reportedPackages) return List.of();
        reportedPackages = packages;
        return LoadedCode.lines(agentVersion, run, seq++, atShutdown, sources, EventStream.MAX_LINE_BYTES);
    }

    /** Location to packages, both sorted, for the classes with a code source in a file. */
    static Map<String, Set<String>> loaded(Class<?>[] classes, String agentJar) {
        Map<String, Set<String>> out = new TreeMap<>();
        Map<URL, String> locations = new java.util.HashMap<>();
        for (Class<?> c : classes) {
            if (c.isArray() || c.isPrimitive()) continue;
            URL url;
            try {
                ProtectionDomain domain = c.getProtectionDomain();
                CodeSource source = domain == null ? null : domain.getCodeSource();
                url = source == null ? null : source.getLocation();
            } catch (RuntimeException e) {
                continue; // a security manager that refuses: the class is not reported
            }
            if (url == null) continue;
            String location = locations.get(url);
            if (location == null) {
                location = LoadedCode.location(url.toString());
                if (location == null) location = "";
                locations.put(url, location);
            }
            if (location.isEmpty() || location.equals(agentJar)) continue;
            Set<String> packages = out.get(location);
            if (packages == null) out.put(location, packages = new TreeSet<>());
            packages.add(c.getPackageName());
        }
        return out;
    }
}
