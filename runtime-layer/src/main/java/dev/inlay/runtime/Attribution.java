package dev.inlay.runtime;

import dev.inlay.model.Component;
import dev.inlay.model.ComponentMap;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Which component asked for an operation (docs/COVERAGE.md, "Attribution"): the first frame on the stack, within
 * {@link #MAX_FRAMES}, whose class is neither the JDK's (defined by the boot or platform loader) nor the agent's, nor
 * without a code source (generated accessors, proxies, classes defined from bytes: their caller is the next frame);
 * the JVM itself (null) when the JDK's class loading is found first (a jar of the class path read for a class);
 * its code source gives the component, a package URL where the image's component map names that jar, else the jar's
 * path, and {@value Component#APPLICATION} for classes from a directory. Null when no such frame is found: the JVM itself.
 *
 * <p>Each class is mapped once ({@link ClassValue}), and each code source to one {@link Component} instance, so that
 * the policy engine's memo on it works. Made with the checker; the walker, the map and the classes it needs are loaded
 * at the first attribution, which runs inside a check (the agent's own file reads there are not checked).
 */
final class Attribution {
    /** Frames walked at most; a deeper stack of JDK frames counts as the JVM's. */
    static final int MAX_FRAMES = 64;

    private final ClassLoader ownLoader;
    private final String mapPath;
    private final Reporter reporter;
    private final ConcurrentHashMap<String, Component> byLocation = new ConcurrentHashMap<>();
    private final ByClass byClass = new ByClass(this);
    private final Walk walk = new Walk(this);
    /** Location to package URL; loaded at the first jar seen, empty without a map. */
    private volatile Map<String, String> purls;

    /**
     * @param mapPath  the image's component map ({@code /opt/inlay/components.tsv}), or null for none: ids are paths
     * @param reporter where an unreadable map is reported, or null
     */
    Attribution(ClassLoader ownLoader, String mapPath, Reporter reporter) {
        this.ownLoader = ownLoader;
        this.mapPath = mapPath;
        this.reporter = reporter;
    }

    /** The component of the code that asked for the current operation, null for the JVM itself. */
    Component caller() {
        return Walker.WALKER.walk(walk);
    }

    /** The id of {@link #caller()}, null for the JVM itself. */
    String callerId() {
        Component c = caller();
        return c == null ? null : c.id;
    }

    /** The component a class belongs to; null for the JDK's and the agent's classes and those without code source. */
    Component of(Class<?> type) {
        if (skipped(type)) return null;
        Component c = byClass.get(type);
        return c == NONE ? null : c;
    }

    private boolean skipped(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ownLoader || loader == Walker.PLATFORM;
    }

    /** Classes without a code source: the walk goes on to their caller. */
    private static final Component NONE = new Component("<none>", null);

    private Component compute(Class<?> type) {
        ProtectionDomain domain = type.getProtectionDomain();
        CodeSource source = domain == null ? null : domain.getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url == null) return NONE;
        String location = Checker.codeSourcePath(url);
        Component known = byLocation.get(location);
        if (known != null) return known;
        Component fresh = new Component(id(url, location), location);
        known = byLocation.putIfAbsent(location, fresh);
        return known == null ? fresh : known;
    }

    private String id(URL url, String location) {
        if (directory(url.toString(), location)) return Component.APPLICATION;
        String purl = purls().get(location);
        return purl != null ? purl : location;
    }

    /**
     * A directory of classes rather than a jar: {@code file:/app/classes/}, Spring Boot's
     * {@code jar:nested:/app.jar/!BOOT-INF/classes/!/} and the older {@code jar:file:/app.jar!/BOOT-INF/classes!/}.
     */
    static boolean directory(String url, String location) {
        String s = url.endsWith("!/") ? url.substring(0, url.length() - 2) : url;
        if (s.endsWith("/")) return true;
        return location.contains("/!") && !location.endsWith(".jar");
    }

    private Map<String, String> purls() {
        Map<String, String> map = purls;
        if (map == null) {
            synchronized (this) {
                map = purls;
                if (map == null) purls = map = load();
            }
        }
        return map;
    }

    private Map<String, String> load() {
        if (mapPath == null || !new File(mapPath).isFile()) return Map.of();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(new FileInputStream(mapPath), StandardCharsets.UTF_8))) {
            return ComponentMap.read(in);
        } catch (IOException | RuntimeException e) {
            // Paths instead of package URLs: a policy naming packages no longer matches, which denies (fails closed).
            if (reporter != null) {
                reporter.status("components-unreadable", Map.of("path", mapPath, "error", e.toString()));
            }
            return Map.of();
        }
    }

    /**
     * Whether a path is a jar of the application's class path (as given, or named by a class path jar's manifest
     * {@code Class-Path}), a file under one of its directories, or a code source already seen: reading it is the
     * JVM's business (classes and resources), whichever library's lookup happened to open it first. Deciding it here
     * also spares a stack walk for every class file the JVM reads from a class directory before {@code main()}.
     */
    boolean classPathJar(String path) {
        if (byLocation.containsKey(path) || ClassPath.JARS.contains(path)) return true;
        for (String dir : ClassPath.DIRECTORIES) if (path.startsWith(dir)) return true;
        return false;
    }

    /** Read at the first file read attributed, inside a check (these reads are not checked). */
    private static final class ClassPath {
        static final java.util.Set<String> JARS = jars(System.getProperty("java.class.path", ""));
        /** The class path's directories, each with a trailing {@code /}. */
        static final String[] DIRECTORIES = directories(System.getProperty("java.class.path", ""));

        static String[] directories(String classPath) {
            java.util.List<String> dirs = new java.util.ArrayList<>();
            for (String entry : classPath.split(File.pathSeparator)) {
                if (entry.isEmpty()) continue;
                File dir = new File(entry).getAbsoluteFile();
                if (!dir.isDirectory()) continue;
                String path = Checker.absolute(dir.getPath());
                dirs.add(path.endsWith("/") ? path : path + "/");
            }
            return dirs.toArray(new String[0]);
        }

        static java.util.Set<String> jars(String classPath) {
            java.util.Set<String> jars = new java.util.HashSet<>();
            for (String entry : classPath.split(File.pathSeparator)) {
                if (entry.isEmpty()) continue;
                File jar = new File(entry).getAbsoluteFile();
                jars.add(Checker.absolute(jar.getPath()));
                if (!jar.isFile()) continue;
                try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar)) {
                    java.util.jar.Manifest manifest = file.getManifest();
                    String named = manifest == null
                            ? null
                            : manifest.getMainAttributes().getValue(java.util.jar.Attributes.Name.CLASS_PATH);
                    if (named == null) continue;
                    // A tokenizer, not split("\\s+"): this can run before main(), where the agent compiles no regex.
                    for (java.util.StringTokenizer names = new java.util.StringTokenizer(named);
                            names.hasMoreTokens(); ) {
                        String relative = names.nextToken();
                        if (!relative.contains(":")) {
                            jars.add(Checker.absolute(new File(jar.getParentFile(), relative).getPath()));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // not a readable jar: its own path stays in the set
                }
            }
            return jars;
        }
    }

    /** The JDK's class loading: its built-in loaders and {@code java.lang.ClassLoader}'s resource methods. */
    static boolean classLoading(String className) {
        return className.startsWith("jdk.internal.loader.") || className.equals("java.lang.ClassLoader");
    }

    /** Made at the first attribution, not with the checker before main(). */
    private static final class Walker {
        /** JDK 22+: the walk fills only the frames' classes, not their methods (we need no more). */
        static final StackWalker.Option DROP_METHOD_INFO = dropMethodInfo();

        /**
         * The walker, with a first batch of frames that holds the agent's (3), its bootstrap hook's (1) and a hooked
         * JDK method's (a file open reaches its caller at frame 7, a connect at 9) without filling many a walk never
         * reads: the JDK's default batch of 8 needs a second one for a connect, which costs more than filling a few
         * frames too many (bench/agent-jmh/walks.sh; docs/BENCHMARKS.md, "Issue 22 on the agent"). 12 frames: on JDK
         * 22+ the batch has one slot more than asked, on JDK 17 it keeps 2 of its slots (so 14 there).
         */
        static final StackWalker WALKER = DROP_METHOD_INFO == null
                ? StackWalker.getInstance(options(null), 14)
                : StackWalker.getInstance(options(DROP_METHOD_INFO), 12);

        static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

        /** By name: JDK 17 has no such option. */
        private static StackWalker.Option dropMethodInfo() {
            for (StackWalker.Option option : StackWalker.Option.values()) {
                if (option.name().equals("DROP_METHOD_INFO")) return option;
            }
            return null;
        }

        /**
         * The frames' classes, hidden frames too: a lambda's class is hidden, its code source its host's (a method
         * reference has no other frame).
         */
        private static java.util.Set<StackWalker.Option> options(StackWalker.Option extra) {
            java.util.Set<StackWalker.Option> options = java.util.EnumSet.of(
                    StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES);
            if (extra != null) options.add(extra);
            return options;
        }
    }

    /** Not an anonymous class or lambda: named, like the agent's other classes. */
    private static final class ByClass extends ClassValue<Component> {
        private final Attribution attribution;

        ByClass(Attribution attribution) {
            this.attribution = attribution;
        }

        @Override
        protected Component computeValue(Class<?> type) {
            return attribution.compute(type);
        }
    }

    private static final class Walk implements Function<Stream<StackWalker.StackFrame>, Component> {
        private final Attribution attribution;

        Walk(Attribution attribution) {
            this.attribution = attribution;
        }

        @Override
        public Component apply(Stream<StackWalker.StackFrame> frames) {
            Iterator<StackWalker.StackFrame> it = frames.iterator();
            for (int i = 0; i < MAX_FRAMES && it.hasNext(); i++) {
                Class<?> type = it.next().getDeclaringClass();
                Component c = attribution.of(type);
                if (c != null) return c;
                // The JDK's class loaders reading the class path (a class or resource someone's code named) act for
                // the JVM: which library first touches a class is an accident of the order things run in.
                if (type.getClassLoader() == null && classLoading(type.getName())) return null;
            }
            return null;
        }
    }
}
