package dev.inlay.model;

/**
 * Which code asked for an operation (docs/COVERAGE.md, "Attribution"): a library by its package URL when the image's
 * inventory names its jar ({@code pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1}), else by the jar's path
 * ({@code /app/lib/x.jar}); {@value #APPLICATION} for classes loaded from directories. No component at all (null where
 * one is expected) means only JDK and inlay frames asked: the JVM itself.
 *
 * <p>The agent makes one per code source, once, and hands the same instance to every decision; the policy engine keeps
 * its memo of which component-scoped rules match this component in {@link #engineMemo}, so the hot path compares a
 * reference instead of matching patterns.
 */
public final class Component {
    /** The identity of classes from a directory: the application's own code. */
    public static final String APPLICATION = "app";

    private static final String PURL_SCHEME = "pkg:";

    /** A package URL, an absolute jar path, or {@value #APPLICATION}. */
    public final String id;
    /** The code source as a path (a jar, a directory, a nested jar {@code /app.jar!/BOOT-INF/lib/x.jar}). */
    public final String location;
    /** Owned by the policy engine: what it worked out for this component under one compiled policy. */
    public volatile Object engineMemo;

    public Component(String id, String location) {
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("a component needs an identity");
        this.id = id;
        this.location = location;
    }

    /** Whether the identity is a package URL. */
    public boolean isPackage() {
        return isPackage(id);
    }

    public static boolean isPackage(String id) {
        return id.startsWith(PURL_SCHEME);
    }

    /** The package's name ({@code log4j-core}), the jar's file name, or {@value #APPLICATION}. */
    public String name() {
        return name(id);
    }

    /** The package's version, or null (a path or the application). */
    public String version() {
        return version(id);
    }

    /** {@code pkg:type/namespace/name@version?qualifiers#subpath}: the name. */
    public static String name(String id) {
        String path = withoutVersion(id);
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** The version of a package URL, null for a path or the application. */
    public static String version(String id) {
        if (!isPackage(id)) return null;
        int end = end(id);
        int at = id.lastIndexOf('@', end - 1);
        return at < 0 || at < id.lastIndexOf('/', end - 1) ? null : id.substring(at + 1, end);
    }

    /** A package URL without version, qualifiers or subpath (how a policy names every version); others unchanged. */
    public static String withoutVersion(String id) {
        if (!isPackage(id)) return id;
        int end = end(id);
        int at = id.lastIndexOf('@', end - 1);
        return at < 0 || at < id.lastIndexOf('/', end - 1) ? id.substring(0, end) : id.substring(0, at);
    }

    private static int end(String purl) {
        int end = purl.length();
        int hash = purl.indexOf('#');
        if (hash >= 0) end = hash;
        int query = purl.indexOf('?');
        if (query >= 0 && query < end) end = query;
        return end;
    }

    /** {@code log4j-core 2.14.1}, the jar's path, or {@value #APPLICATION}: how an event's message names it. */
    @Override
    public String toString() {
        String version = version();
        return version == null ? (isPackage() ? name() : id) : name() + " " + version;
    }
}
