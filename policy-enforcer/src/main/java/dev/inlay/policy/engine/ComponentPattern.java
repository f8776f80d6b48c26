package dev.inlay.policy.engine;

import dev.inlay.model.Component;

/**
 * One value of a rule's {@code components} selector (docs/POLICY.md, "Components"), matched against a component's
 * identity: {@code app} against the application; a package URL without version against every version of that package,
 * with {@code @version} against those versions ({@code *} any characters, in the name and the version alike); an
 * absolute path pattern against where the code was loaded from (the component's location: a jar, or the directory of
 * the application's classes; the id when the location is unknown), segment by segment as for {@code paths}. Matched
 * once per component and compiled engine, never per decision.
 */
public final class ComponentPattern {
    private final String pattern;
    /** The package URL without version, or null. */
    private final String packageGlob;
    /** The version glob, or null for every version. */
    private final String versionGlob;
    /** The path pattern, or null. */
    private final SegmentPattern path;

    public ComponentPattern(String pattern) {
        this.pattern = pattern;
        if (Component.isPackage(pattern)) {
            int slash = pattern.lastIndexOf('/');
            int at = pattern.indexOf('@', slash + 1);
            packageGlob = at < 0 ? pattern : pattern.substring(0, at);
            versionGlob = at < 0 ? null : pattern.substring(at + 1);
            path = null;
        } else {
            packageGlob = null;
            versionGlob = null;
            path = pattern.startsWith("/") ? new SegmentPattern(pattern, '/', true) : null;
        }
    }

    /** Whether this pattern names the component with this id, loaded from this location (may be null). */
    public boolean matches(String id, String location) {
        if (packageGlob != null) {
            if (!Component.isPackage(id) || !Globs.matches(packageGlob, Component.withoutVersion(id))) return false;
            if (versionGlob == null) return true;
            String version = Component.version(id);
            return version != null && Globs.matches(versionGlob, version);
        }
        if (path != null) {
            String source = location != null ? location : id;
            return source.startsWith("/") && path.matches(source);
        }
        return pattern.equals(id);
    }

    public boolean matches(Component component) {
        return matches(component.id, component.location);
    }

    /** Whether any of the patterns names the component. */
    public static boolean anyMatches(ComponentPattern[] patterns, String id, String location) {
        for (ComponentPattern p : patterns) if (p.matches(id, location)) return true;
        return false;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
