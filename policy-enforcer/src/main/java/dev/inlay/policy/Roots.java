package dev.inlay.policy;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Symbolic roots of path patterns: {@code ${java.home}/lib/**} names the JDK in use wherever it is installed, so that
 * a policy learned on one JDK, host or image layout holds on another. A root may only start a {@code paths} or
 * {@code executables} value, followed by nothing or by {@code /...}. The engine never sees a root: {@link #expand}
 * replaces each one, once, by the literal paths it resolves to in this JVM (the path as given and its canonical form,
 * and the target of a link in the written part of the pattern, such as Debian's {@code conf} directory), so deciding
 * stays the same allocation-free literal and glob matching.
 *
 * <p>Roots are written by the generator's own code, never recognized in learned text: a learned path always starts
 * with {@code /}, so a {@code ${} in it is a literal part of a name.
 */
public final class Roots {
    /** The JDK in use: the {@code java.home} system property. */
    public static final String JAVA_HOME = "java.home";
    /** The application's code: each entry of {@code java.class.path} (the jar of {@code java -jar}). */
    public static final String APP_CLASSPATH = "app.classpath";
    /** The temporary directory: {@code java.io.tmpdir}. */
    public static final String TMPDIR = "java.io.tmpdir";
    /** The working directory at start-up: {@code user.dir}. */
    public static final String USER_DIR = "user.dir";

    public static final List<String> NAMES = List.of(JAVA_HOME, APP_CLASSPATH, TMPDIR, USER_DIR);

    /** Per root, the absolute normalized paths it stands for; never empty strings, possibly no path at all. */
    private final Map<String, List<String>> paths;

    /**
     * The symbolic links under the JDK home as {@code inlay wrap} found them in the image (paths under the home), in
     * place of walking the home; null to walk it.
     */
    private final String[] knownJdkLinks;

    private Roots(Map<String, List<String>> paths, String[] knownJdkLinks) {
        this.paths = paths;
        this.knownJdkLinks = knownJdkLinks;
    }

    private static volatile Roots captured;

    /**
     * The roots of this JVM, from its system properties and file system as they were at the first call (the agent
     * makes it at start-up, before main()): code that later sets {@code java.io.tmpdir} to "/" or changes the class
     * path must not widen the next policy reload.
     */
    public static Roots current() {
        return current(null);
    }

    /**
     * {@link #current()}, told at the first call the symbolic links under this JVM's JDK home as {@code inlay wrap}
     * found them ({@code jdk-links.bin}, read by the agent), so that the home is not walked to find them: each is
     * still resolved here, and kept only if it is a link out of the home that a walk would have found.
     *
     * @param knownJdkLinks paths under the home ({@code /conf/net.properties}), or null to walk the home
     */
    public static Roots current(String[] knownJdkLinks) {
        Roots r = captured;
        if (r == null) {
            synchronized (Roots.class) {
                r = captured;
                if (r == null) {
                    r = of(
                            System.getProperty("java.home"),
                            System.getProperty("java.class.path"),
                            System.getProperty("java.io.tmpdir"),
                            System.getProperty("user.dir"));
                    if (knownJdkLinks != null) r = r.withKnownJdkLinks(knownJdkLinks);
                    captured = r;
                }
            }
        }
        return r;
    }

    /**
     * Roots from the four properties as a JVM has them (relative class path entries are taken against
     * {@code userDir}); each path as given, normalized, and its canonical form when that differs. A null or empty
     * property resolves to no path: patterns under that root then match nothing.
     */
    public static Roots of(String javaHome, String classPath, String tmpdir, String userDir) {
        Map<String, List<String>> paths = new LinkedHashMap<>();
        String cwd = userDir == null || userDir.isEmpty() ? null : absolute(userDir, "/");
        paths.put(JAVA_HOME, resolved(javaHome, cwd));
        List<String> entries = new ArrayList<>();
        if (classPath != null) {
            for (String entry : classPath.split(File.pathSeparator)) {
                for (String p : resolved(entry, cwd)) if (!entries.contains(p)) entries.add(p);
            }
        }
        paths.put(APP_CLASSPATH, Collections.unmodifiableList(entries));
        paths.put(TMPDIR, resolved(tmpdir, cwd));
        paths.put(USER_DIR, resolved(userDir, "/"));
        return new Roots(Collections.unmodifiableMap(paths), null);
    }

    /**
     * These roots, with the links under the JDK home given rather than found by walking the home: the same expansion
     * when {@code links} holds every link under the home (and possibly paths that are none: they are left out).
     */
    public Roots withKnownJdkLinks(String[] links) {
        return new Roots(paths, links.clone());
    }

    /** Whether the links out of the JDK home come from a list given ({@link #withKnownJdkLinks}), not a walk. */
    public boolean jdkLinksKnown() {
        return knownJdkLinks != null;
    }

    /** The paths a root stands for in this JVM. */
    public List<String> paths(String root) {
        List<String> p = paths.get(root);
        if (p == null) throw new IllegalArgumentException("unknown root " + root);
        return p;
    }

    private static List<String> resolved(String given, String cwd) {
        if (given == null || given.isEmpty() || cwd == null && !given.startsWith("/")) return List.of();
        String path = absolute(given, cwd);
        String canonical = canonical(path);
        return canonical == null || canonical.equals(path) ? List.of(path) : List.of(path, canonical);
    }

    private static String absolute(String path, String cwd) {
        String p = path.startsWith("/") ? path : (cwd.equals("/") ? "" : cwd) + "/" + path;
        return dev.inlay.policy.engine.Paths.normalize(p);
    }

    private static String canonical(String path) {
        try {
            return new File(path).getCanonicalPath();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    // ---- syntax

    /** The root a value starts with ({@code java.home} for {@code ${java.home}/lib}), or null when it has none. */
    public static String rootOf(String value) {
        if (!value.startsWith("${")) return null;
        int end = value.indexOf('}');
        return end < 0 ? null : value.substring(2, end);
    }

    /** What follows the root: empty or {@code /...}. */
    public static String rest(String value) {
        return value.substring(value.indexOf('}') + 1);
    }

    /** The value written with a root, for the generator: {@code ${root}} followed by a rest (empty or "/..."). */
    public static String symbolic(String root, String rest) {
        if (!NAMES.contains(root)) throw new IllegalArgumentException("unknown root " + root);
        return "${" + root + "}" + rest;
    }

    /**
     * A problem with the root at the start of a path value, or null when it is a known root followed by nothing or
     * {@code /}; the caller checks the rest as a path.
     */
    static String checkRoot(String value) {
        int end = value.indexOf('}');
        if (end < 0) return "'${' without a closing '}'; roots are " + rootList();
        String name = value.substring(2, end);
        if (!NAMES.contains(name)) {
            String suggestion = Suggest.nearest(name, NAMES);
            return "unknown root '${" + name + "}'"
                    + (suggestion == null ? "" : " (did you mean '${" + suggestion + "}'?)") + "; roots are "
                    + rootList();
        }
        if (end + 1 < value.length() && value.charAt(end + 1) != '/') {
            return "a root is followed by '/' or nothing ('${" + name + "}/lib/**')";
        }
        return null;
    }

    static String rootList() {
        StringBuilder sb = new StringBuilder();
        for (String n : NAMES)
            sb.append(sb.length() == 0 ? "" : ", ").append("${").append(n).append('}');
        return sb.toString();
    }

    /** Whether any path value of the policy starts with a root. */
    public static boolean used(Policy policy) {
        for (Rule rule : policy.rules()) {
            for (Map.Entry<Selector, List<String>> e : rule.selectors().entrySet()) {
                if (!isPathSelector(e.getKey())) continue;
                for (String v : e.getValue()) if (v.startsWith("${")) return true;
            }
        }
        return false;
    }

    /** Selectors whose values may start with a root: paths, executables, and components named by their jar's path. */
    static boolean isPathSelector(Selector s) {
        return s == Selector.PATHS || s == Selector.EXECUTABLES || s == Selector.COMPONENTS;
    }

    // ---- expansion

    /**
     * The policy with every root replaced by the literal patterns it resolves to here: the same rules, ids and order.
     * A rule whose path selector resolves to no path at all (a root with no value here) is left out, since it could
     * match nothing (an empty selector would match everything).
     */
    public Policy expand(Policy policy) {
        if (!used(policy)) return policy;
        Policy.Builder out = Policy.builder(policy.name()).mode(policy.mode()).failOpen(policy.failOpen());
        for (Map.Entry<String, String> l : policy.labels().entrySet()) out.label(l.getKey(), l.getValue());
        for (Map.Entry<Category, Action> d : policy.explicitDefaults().entrySet())
            out.defaultAction(d.getKey(), d.getValue());
        for (Rule rule : policy.rules()) {
            Rule expanded = expand(rule);
            if (expanded != null) out.rule(expanded);
        }
        return out.build();
    }

    private Rule expand(Rule rule) {
        Rule.Builder b =
                Rule.builder(rule.id(), rule.category()).action(rule.action()).operations(rule.operations());
        for (Map.Entry<Selector, List<String>> e : rule.selectors().entrySet()) {
            if (!isPathSelector(e.getKey())) {
                b.selector(e.getKey(), e.getValue());
                continue;
            }
            List<String> values = new ArrayList<>();
            for (String v : e.getValue()) {
                if (v.startsWith("${")) expandValue(v, values);
                else if (!values.contains(v)) values.add(v);
            }
            if (values.isEmpty()) return null;
            b.selector(e.getKey(), values);
        }
        return b.build();
    }

    /** Adds the literal patterns of one value with a root: per path of the root, and per link target. */
    void expandValue(String value, List<String> out) {
        String rest = rest(value);
        for (String root : paths(rootOf(value))) {
            add(join(Escapes.literal(root), rest), out);
            // The written part of the pattern (up to the first wildcard) may be a link out of the root, such as
            // Debian's ${java.home}/conf -> /etc/java-17-openjdk: its target is allowed too.
            // Only under the JDK's home, which comes from the image: a link the application makes in its working or
            // temporary directory must not extend a rule.
            int wildcard = firstWildcardSegment(rest);
            String written = rest.substring(0, wildcard);
            if (written.isEmpty() || !JAVA_HOME.equals(rootOf(value))) continue;
            String canonical = canonical(join(root, Escapes.unescape(written)));
            if (canonical != null) add(join(Escapes.literal(canonical), rest.substring(wildcard)), out);
        }
        // Links to single files or directories inside the JDK that point out of it: Debian's newer packages link
        // each file (conf/net.properties -> /etc/java-17-openjdk/net.properties, lib/security/cacerts ->
        // /etc/ssl/certs/java/cacerts) rather than conf itself, and the JDK opens some by their canonical path.
        // Where the pattern reaches the link, its target is allowed too, so that ${java.home}/** learned on a JDK
        // without links holds on one with them.
        if (JAVA_HOME.equals(rootOf(value)) && firstWildcardSegment(rest) < rest.length()) {
            for (JdkLink link : jdkLinks()) {
                if (!reaches(rest, link.path)) continue;
                String target = Escapes.literal(link.target);
                add(link.directory ? (rest.endsWith("/**") ? target + "/**" : target) : target, out);
            }
        }
    }

    /** A link inside the JDK home pointing out of it: its path under the home ("/conf/net.properties"), its target. */
    private static final class JdkLink {
        final String path;
        final String target;
        final boolean directory;

        JdkLink(String path, String target, boolean directory) {
            this.path = path;
            this.target = target;
            this.directory = directory;
        }
    }

    /** At most this many entries of a JDK home are looked at (a JDK has about 500; a jlink'd runtime fewer). */
    static final int MAX_JDK_ENTRIES = 20_000;

    private volatile List<JdkLink> jdkLinks;

    /** The links out of this JVM's JDK home, found once (one walk of the home, not following directory links). */
    private List<JdkLink> jdkLinks() {
        List<JdkLink> links = jdkLinks;
        if (links == null) {
            links = new ArrayList<>();
            List<String> homes = paths(JAVA_HOME);
            String home = homes.isEmpty() ? null : canonical(homes.get(homes.size() - 1));
            if (home != null && knownJdkLinks != null) known(home, knownJdkLinks, links);
            else if (home != null) walk(new File(home), home, "", links, new int[] {MAX_JDK_ENTRIES});
            jdkLinks = links;
        }
        return links;
    }

    /** Top-level directories of a JDK that hold nothing the JVM reads to run (licences, jmods, headers, manuals). */
    public static final List<String> NOT_WALKED = List.of("legal", "jmods", "include", "man", "demo", "sample");

    /**
     * What {@link #walk} finds, from a list of candidate paths under the home rather than a listing of every directory:
     * a candidate counts when the walk reaches it (no directory on its way is a link, none is left unwalked) and it is
     * a link whose target, out of the home, exists. Kept in the walk's order (names sorted in each directory).
     */
    private static void known(String home, String[] candidates, List<JdkLink> links) {
        // the candidates the walk could reach at all, then in its order: insertion sort, as the list comes nearly
        // sorted from inlay wrap (a few dozen paths), allocation-free and without a Comparator (a lambda) before main()
        String[] sorted = new String[candidates.length];
        int n = 0;
        for (String rel : candidates) {
            if (rel == null || !underHome(rel)) continue;
            int slash = rel.indexOf('/', 1);
            if (NOT_WALKED.contains(slash < 0 ? rel.substring(1) : rel.substring(1, slash))) continue;
            int j = n - 1;
            for (; j >= 0 && walkOrder(sorted[j], rel) > 0; j--) sorted[j + 1] = sorted[j];
            sorted[j + 1] = rel;
            n++;
        }
        // directories found real so far: a directory is its own canonical path, so are all of its ancestors
        List<String> realDirectories = new ArrayList<>();
        String homeSlash = home + "/";
        String previous = null;
        for (int i = 0; i < n; i++) {
            String rel = sorted[i];
            if (rel.equals(previous)) continue;
            previous = rel;
            // the walk enters real directories only: the directory holding the link must be its own canonical path
            String parent = rel.substring(0, rel.lastIndexOf('/'));
            if (!parent.isEmpty() && !real(parent, realDirectories)) {
                if (!(home + parent).equals(canonical(home + parent))) continue;
                realDirectories.add(parent);
            }
            String path = home + rel;
            File f = new File(path);
            String canonical = canonical(path);
            // its directory being canonical, an entry whose canonical path differs is a link
            if (canonical != null
                    && !canonical.equals(path)
                    && !canonical.startsWith(homeSlash)
                    && !canonical.equals(home)
                    && f.exists()) {
                links.add(new JdkLink(rel, canonical, f.isDirectory()));
            }
        }
    }

    /** Whether {@code dir} is one of {@code realDirectories} or an ancestor of one. */
    private static boolean real(String dir, List<String> realDirectories) {
        for (String r : realDirectories) {
            if (r.startsWith(dir) && (r.length() == dir.length() || r.charAt(dir.length()) == '/')) return true;
        }
        return false;
    }

    /** A path under the home as a list may hold it: "/a/b", no empty, "." or ".." segment. */
    private static boolean underHome(String rel) {
        return rel.length() >= 2
                && rel.charAt(0) == '/'
                && !rel.endsWith("/")
                && !rel.endsWith("/.")
                && !rel.endsWith("/..")
                && !rel.contains("//")
                && !rel.contains("/./")
                && !rel.contains("/../");
    }

    /** The order in which {@link #walk} meets two paths under the home: segment by segment, names sorted. */
    static int walkOrder(String a, String b) {
        // names compared as String.compareTo does, a name ending ('/') before any longer one, a path before its
        // children: the strings compared with '/' lower than every character and the end lower still
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) return (x == '/' ? -1 : x) - (y == '/' ? -1 : y);
        }
        return a.length() - b.length();
    }

    private static void walk(File dir, String home, String relative, List<JdkLink> links, int[] budget) {
        String[] names = dir.list();
        if (names == null) return;
        java.util.Arrays.sort(names);
        for (String name : names) {
            if (--budget[0] < 0) return;
            File f = new File(dir, name);
            String rel = relative + "/" + name;
            java.nio.file.attribute.BasicFileAttributes attributes;
            try {
                // one lstat per entry; only a link is resolved (realpath costs a lookup per path component)
                attributes = java.nio.file.Files.readAttributes(
                        f.toPath(),
                        java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | RuntimeException e) {
                continue;
            }
            if (attributes.isSymbolicLink()) {
                String canonical = canonical(f.getPath());
                if (canonical != null && !canonical.startsWith(home + "/") && !canonical.equals(home) && f.exists()) {
                    links.add(new JdkLink(rel, canonical, f.isDirectory()));
                }
            } else if (attributes.isDirectory() && !(relative.isEmpty() && NOT_WALKED.contains(name))) {
                walk(f, home, rel, links, budget);
            }
        }
    }

    /**
     * Whether the rest of a pattern ("/conf/**", "/lib/*.so") matches a path under the root ("/conf/net.properties"),
     * segment by segment; a final {@code **} matches any depth.
     */
    static boolean reaches(String rest, String path) {
        int r = 1;
        int p = 1;
        while (true) {
            if (r > rest.length() || p > path.length()) return r > rest.length() && p > path.length();
            int rEnd = segmentEnd(rest, r);
            int pEnd = segmentEnd(path, p);
            String segment = rest.substring(r, rEnd);
            if (segment.equals("**") && rEnd == rest.length()) return true;
            if (!dev.inlay.policy.engine.Globs.matches(segment, path.substring(p, pEnd))) return false;
            r = rEnd + 1;
            p = pEnd + 1;
        }
    }

    private static int segmentEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    private static void add(String pattern, List<String> out) {
        if (!out.contains(pattern)) out.add(pattern);
    }

    /** The index in {@code rest} ("/a/b/*.jar") where the first segment holding a wildcard starts, or its length. */
    private static int firstWildcardSegment(String rest) {
        int segment = 0;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '\\') i++;
            else if (c == '/') segment = i;
            else if (c == '*') return segment;
        }
        return rest.length();
    }

    private static String join(String root, String rest) {
        if (root.equals("/")) return rest.isEmpty() ? "/" : rest;
        return root + rest;
    }
}
