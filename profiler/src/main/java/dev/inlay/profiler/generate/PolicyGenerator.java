package dev.inlay.profiler.generate;

import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import dev.inlay.policy.Mode;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Patterns;
import dev.inlay.policy.Roots;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyWriter;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;
import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.BehaviorStats;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.Times;
import dev.inlay.profiler.review.PolicyLinter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a merged profile into a policy that allows what was observed: stable things exactly, varying things (temporary
 * names, numbers, UUIDs, hashes, generated classes) as patterns, the JDK's own files as its home, many read-only
 * siblings, the many user-named files of a directory the application writes, and one program run on many files of one
 * directory as that directory where that is safe. Everything else is denied by default. docs/PROFILER.md lists the
 * rules with examples.
 *
 * <p>Generation never widens what was learned: learned names are literals (a learned {@code *} is escaped, and a
 * behavior holding one is kept exact and flagged), only these generalizations make patterns, and no rule that
 * {@code policy lint} calls broad or secret is written (see {@link #gate}).
 */
public final class PolicyGenerator {
    /**
     * Distinct siblings needed before read-only files, written files, commands on one directory's files, DNS names or
     * classes collapse into their directory, domain or package.
     */
    public static final int DEFAULT_COLLAPSE_THRESHOLD = 8;
    /** Distinct ephemeral ports to one host needed before they become one range. */
    static final int EPHEMERAL_PORT_THRESHOLD = 4;
    static final int EPHEMERAL_PORT_MIN = 32768;

    private static final Set<Operation> READ_ONLY = EnumSet.of(Operation.READ, Operation.LIST);
    private static final Pattern NETWORK = Pattern.compile("(tcp|udp)://(\\[[^\\]]*\\]|[^\\[\\]/]*):(\\d{1,5})");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern JNDI = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(//([^/:?#]*))?.*");
    /** Files only a Java runtime has, and that the JVM itself opens or loads through Java code (what the agent sees). */
    private static final List<String> JDK_MARKERS = List.of("/conf/security/java.security", "/lib/security/cacerts",
            "/lib/tzdb.dat", "/lib/modules", "/lib/jvm.cfg", "/lib/jrt-fs.jar", "/conf/net.properties",
            "/lib/server/libjvm.so", "/lib/libjava.so", "/lib/libnet.so", "/lib/libnio.so", "/lib/libzip.so");
    /** Directories whose children never collapse into {@code dir/*}: secrets, kernel views, roots of the system. */
    private static final List<String> NO_COLLAPSE_TREES = List.of("/etc", "/proc", "/sys", "/dev", "/root", "/home",
            "/run/secrets", "/var/run/secrets", "/tmp", "/var/tmp");
    private static final Set<String> NO_COLLAPSE_DIRS = Set.of("/", "/usr", "/bin", "/sbin", "/lib", "/lib64",
            "/var", "/opt", "/srv", "/mnt", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/local", "/usr/local/bin",
            "/var/lib", "/var/run", "/run");
    /** Trees no generated pattern may ever write to, even where reads may collapse (certificates under /etc). */
    private static final List<String> NO_WRITE_COLLAPSE_TREES = List.of("/etc", "/usr", "/bin", "/sbin", "/lib",
            "/lib32", "/lib64", "/libx32", "/boot", "/opt/inlay");
    private static final Set<Operation> MODIFYING = EnumSet.of(Operation.WRITE, Operation.CREATE, Operation.DELETE);
    /** Files that are code: a directory holding any of them never gets a generated write pattern. */
    private static final Pattern CODE_FILE = Pattern.compile(
            ".*\\.(jar|war|ear|class|so|so\\.[0-9.]+|jsp|jspx|sh|py|rb|pl|js|groovy|jnilib|dylib)", Pattern.CASE_INSENSITIVE);
    /** Programs whose arguments are code or another command: their path arguments never become {@code dir/*}. */
    private static final Pattern INTERPRETER = Pattern.compile("(ba|da|a|z|k|c|tc|mk)?sh|fish|busybox|env|xargs|"
            + "nohup|timeout|nice|ionice|stdbuf|setsid|chroot|sudo|su|doas|runuser|java|jshell|jrunscript|"
            + "python[0-9.]*|pypy[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node(js)?|deno|bun|php[0-9.]*|lua(jit)?[0-9.]*|"
            + "tclsh[0-9.]*|wish[0-9.]*|[gmn]?awk|sed|pwsh|Rscript|make|find|ssh|scp|rsync|git|tar|zip|unzip");
    /** Certificates under /etc are public and numerous; everything else under /etc stays exact. */
    private static final List<String> COLLAPSE_ALLOWED_UNDER_ETC = List.of("/etc/ssl/certs", "/etc/pki");
    /** Packages never collapsed into {@code pkg.*} for deserialization: the JDK and known gadget-chain libraries. */
    private static final List<String> NO_COLLAPSE_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "org.apache.commons.collections", "org.apache.commons.beanutils", "org.springframework.",
            "org.codehaus.groovy.", "com.mchange.", "org.hibernate.", "org.apache.xalan.", "bsh.", "clojure.",
            "org.python.", "com.rometools.", "org.mozilla.javascript.", "net.sf.json.", "com.alibaba.fastjson.",
            "org.jboss.", "com.fasterxml.jackson.databind.");

    public record Options(String name, Mode mode, int collapseThreshold) {
        public Options {
            if (collapseThreshold < 2) throw new IllegalArgumentException("collapse threshold must be at least 2");
        }

        public static Options defaults() {
            return new Options("generated", Mode.ENFORCE, DEFAULT_COLLAPSE_THRESHOLD);
        }
    }

    /**
     * The policy and the comments to write with it; {@code warnings} are for the person running the generator
     * (stderr): learned names kept literal because they hold pattern characters, behaviors kept out of the policy.
     */
    public record Generated(Policy policy, Map<String, List<String>> ruleComments, List<String> header,
                            List<String> warnings) {
        public String toYaml() {
            return PolicyWriter.toYaml(policy, ruleComments, header);
        }
    }

    /** A rule being built: its category, operations, selector values and evidence. */
    private static final class Draft {
        final Category category;
        final EnumSet<Operation> operations = EnumSet.noneOf(Operation.class);
        final Map<Selector, TreeSet<String>> selectors = new EnumMap<>(Selector.class);
        final Evidence evidence = new Evidence();
        String slug;
        boolean generalized;
        /** A learned name held '*' or '\': written escaped, never generalized, never collapsed with others. */
        boolean flagged;
        /** The behaviors this rule was made from: what the lint gate falls back to (docs/PROFILER.md). */
        final List<Map.Entry<BehaviorKey, BehaviorStats>> members = new ArrayList<>();
        List<String> argPatterns;
        /** Positions of {@link #argPatterns} generalized to {@code dir/*} (matched like paths by the engine). */
        final List<Integer> directoryArgs = new ArrayList<>();

        Draft add(BehaviorKey key, BehaviorStats stats, Operation op, Selector selector, String value,
                  boolean generalizedValue) {
            operations.add(op);
            values(selector).add(value);
            evidence.add(key, stats);
            members.add(Map.entry(key, stats));
            generalized |= generalizedValue;
            return this;
        }

        Draft(Category category, String slug) {
            this.category = category;
            this.slug = slug;
        }

        TreeSet<String> values(Selector s) {
            return selectors.computeIfAbsent(s, k -> new TreeSet<>(k == Selector.PORTS ? PORT_ORDER : Comparator.naturalOrder()));
        }

        String only(Selector s) {
            TreeSet<String> v = selectors.get(s);
            return v == null || v.size() != 1 ? null : v.first();
        }

        void absorb(Draft other) {
            operations.addAll(other.operations);
            other.selectors.forEach((k, v) -> values(k).addAll(v));
            evidence.addAll(other.evidence);
            members.addAll(other.members);
            flagged |= other.flagged;
            generalized = true;
        }

        String content() {
            return category.wireName() + " " + operations + " " + selectors;
        }
    }

    private static final Comparator<String> PORT_ORDER = Comparator.comparingInt(PolicyGenerator::portStart)
            .thenComparing(Comparator.naturalOrder());

    private final Options options;
    /** Drafts by category and identity (the selector value that names them). */
    private final Map<String, Draft> drafts = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** The lint gate's second attempt: every behavior exactly as learned, nothing generalized or collapsed. */
    private final boolean exact;
    /** Set while one behavior is added: whether its learned names hold pattern characters. */
    private boolean adding;
    /** File patterns that came from the agent's directory summaries. */
    private final TreeSet<String> summaries = new TreeSet<>();

    /**
     * The paths the roots stood for where the profile was learned, longest first, each with its root: a learned path
     * at or under one is written from the root ({@code ${java.home}/lib/**}), so that the policy holds on another JDK,
     * host or layout. Only from the profile's "roots" header, which the agent writes: never recognized in learned text.
     */
    private final List<Map.Entry<String, String>> roots;

    private PolicyGenerator(Options options, boolean exact, List<Map.Entry<String, String>> roots) {
        this.options = options;
        this.exact = exact;
        this.roots = roots;
    }

    public static Generated generate(MergedProfile profile, Options options) {
        return new PolicyGenerator(options, false, rootPaths(profile.roots())).run(profile);
    }

    /**
     * On equal paths, the root written: the JDK, the temporary directory, the working directory, then the class path
     * (a {@code -cp .} entry is the working directory, where writes are the application's data, not its code).
     */
    private static final List<String> ROOT_PREFERENCE = List.of(Roots.JAVA_HOME, Roots.TMPDIR, Roots.USER_DIR,
            Roots.APP_CLASSPATH);

    /** (path, root) pairs, the longest path first; on equal paths by {@link #ROOT_PREFERENCE}. */
    static List<Map.Entry<String, String>> rootPaths(Map<String, ? extends java.util.Collection<String>> learned) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String root : Roots.NAMES) {
            java.util.Collection<String> paths = learned.get(root);
            if (paths == null) continue;
            for (String path : paths) {
                if (path.startsWith("/") && !path.equals("/")) out.add(Map.entry(path, root));
            }
        }
        out.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> -e.getKey().length())
                .thenComparingInt(e -> ROOT_PREFERENCE.indexOf(e.getValue())));
        return out;
    }

    /**
     * A learned path generalized (numbers, UUIDs, temporary names as patterns) only below the root it lies under, so
     * that the root's own path stays whole and is written as the root ({@code /tmp/junit-123/app.jar} under a class
     * path entry of that name stays that entry).
     */
    private String generalizeUnderRoot(String path) {
        for (Map.Entry<String, String> root : roots) {
            String prefix = root.getKey();
            if (path.equals(prefix)) return Patterns.literal(path);
            if (path.startsWith(prefix + "/")) {
                boolean temp = root.getValue().equals(Roots.TMPDIR) || PathPatterns.inTempDir(path);
                return Patterns.literal(prefix) + PathPatterns.generalize(path.substring(prefix.length()), temp);
            }
        }
        return PathPatterns.generalize(path);
    }

    /** The value written from a root when the learned path (as a pattern) is at or under one; else as it is. */
    String rootify(String pattern) {
        for (Map.Entry<String, String> root : roots) {
            String prefix = Patterns.literal(root.getKey());
            if (pattern.equals(prefix)) return Roots.symbolic(root.getValue(), "");
            if (pattern.startsWith(prefix + "/")) return Roots.symbolic(root.getValue(), pattern.substring(prefix.length()));
        }
        return pattern;
    }

    private Generated run(MergedProfile profile) {
        Map<BehaviorKey, BehaviorStats> behaviors = profile.behaviors();
        SortedSet<String> jdkHomes = jdkHomes(behaviors.keySet());
        // the learning JVM's own home, also when none of its marker files was seen
        for (String home : profile.roots().getOrDefault(Roots.JAVA_HOME, Set.of())) if (collapsible(home)) jdkHomes.add(home);
        Set<String> namedEndpoints = namedEndpoints(behaviors);
        int unexpressible = 0;
        for (Map.Entry<BehaviorKey, BehaviorStats> e : behaviors.entrySet()) {
            if (!addBehavior(e.getKey(), e.getValue(), jdkHomes, namedEndpoints)) unexpressible++;
        }
        collapseWrittenDirectories(codeDirectories(behaviors.keySet()), jdkHomes);
        collapseProcessArguments();
        collapseJars();
        collapseSiblings();
        collapseDnsNames();
        collapsePackages();
        rangeEphemeralPorts();
        gate(namedEndpoints);
        if (unexpressible > 0) {
            notes.add(unexpressible + " behaviors not expressible as rules (JNDI names without a scheme, capabilities asked by code without a code source); they stay denied");
        }
        return build(profile);
    }

    /**
     * Every learned name is written as a literal ({@link Patterns#literal}: a learned '*' is the character, never a
     * wildcard); only the generalizations below make patterns, and never from a name that held '*' or '\' (such a
     * behavior is kept exact and flagged).
     */
    private boolean addBehavior(BehaviorKey key, BehaviorStats stats, SortedSet<String> jdkHomes,
                                Set<String> namedEndpoints) {
        adding = hasMetacharacters(key, stats);
        boolean literal = exact || adding;
        String resource = key.resource();
        // A learned name that begins like a root (an executable "${app.classpath}" not found on PATH) has no literal
        // form: '$' is not escaped, and the policy would read it as the root. Not expressible: it stays denied.
        if (resource.startsWith("${") && key.category() != Category.NETWORK && key.category() != Category.DNS
                && key.category() != Category.JNDI) {
            return false;
        }
        Operation op = key.operation();
        switch (key.category()) {
            case FILE, NATIVE -> {
                String home = literal ? null : homeOf(resource, jdkHomes);
                boolean runtimeRead = home != null
                        && (key.category() == Category.NATIVE || READ_ONLY.contains(op));
                if (runtimeRead) {
                    String tree = Patterns.literal(home) + "/**";
                    draft(key.category(), tree, "jdk").add(key, stats, op, Selector.PATHS, tree, true);
                } else if (stats.summary() && !literal && isSummary(resource)) {
                    // a directory the agent summarized (docs/PROFILE.md): its '*' is the agent's, not a learned name's
                    String dir = resource.substring(0, resource.lastIndexOf('/'));
                    String tail = resource.substring(dir.length());
                    if (!summaryAllowed(resource, op, jdkHomes)) {
                        notes.add("the agent summarized " + op.wireName() + " of many files as " + resource
                                + ", a directory no generated pattern may cover: not allowed, review");
                        return true;
                    }
                    String pattern = PathPatterns.generalize(dir) + tail; // a tree stays a tree
                    summaries.add(pattern);
                    draft(key.category(), pattern, pathSlug(pattern)).add(key, stats, op, Selector.PATHS, pattern, true);
                } else {
                    String pattern = literal ? Patterns.literal(resource) : generalizeUnderRoot(resource);
                    draft(key.category(), pattern, pathSlug(rootify(pattern)))
                            .add(key, stats, op, Selector.PATHS, pattern, !pattern.equals(Patterns.literal(resource)));
                }
            }
            case DRIFT -> {
                String path = Patterns.literal(resource);
                draft(Category.DRIFT, path, pathSlug(rootify(path))).add(key, stats, op, Selector.PATHS, path, false);
            }
            case NETWORK -> addNetwork(key, stats, namedEndpoints);
            case DNS -> {
                String name = Patterns.literal(resource.toLowerCase(Locale.ROOT));
                draft(Category.DNS, name, name).add(key, stats, op, Selector.NAMES, name, false);
            }
            case PROCESS -> addProcess(key, stats);
            case JNDI -> {
                Matcher m = JNDI.matcher(resource);
                if (!m.matches()) return false;
                String scheme = m.group(1).toLowerCase(Locale.ROOT);
                String host = m.group(3) == null || m.group(3).isEmpty() ? null
                        : Patterns.literal(m.group(3).toLowerCase(Locale.ROOT));
                Draft d = draft(Category.JNDI, scheme + "|" + host, scheme + (host == null ? "" : "-" + host));
                d.add(key, stats, op, Selector.SCHEMES, scheme, false);
                if (host != null) d.values(Selector.HOSTS).add(host);
            }
            case DESERIALIZATION -> {
                String cls = Patterns.literal(resource);
                draft(Category.DESERIALIZATION, cls, classSlug(cls)).add(key, stats, op, Selector.CLASSES, cls, false);
            }
            case CLASS_DEFINITION -> {
                String pattern = literal ? Patterns.literal(resource) : generalizeClassName(resource);
                Draft d = draft(Category.CLASS_DEFINITION, pattern, classSlug(pattern));
                d.add(key, stats, op, Selector.CLASSES, pattern, !pattern.equals(Patterns.literal(resource)));
                for (String loader : stats.loaders()) d.values(Selector.LOADERS).add(Patterns.literal(loader));
            }
            case CAPABILITY -> {
                // The calling code's jar or directory: a library that needed Unsafe keeps it, other code does not.
                if (!resource.startsWith("/")) return false;
                String caller = Patterns.literal(resource);
                draft(Category.CAPABILITY, caller, pathSlug(caller)).add(key, stats, op, Selector.CALLERS, caller, false);
            }
        }
        return true;
    }

    /** Whether a learned name of the behavior holds a character that is special in policy patterns. */
    private static boolean hasMetacharacters(BehaviorKey key, BehaviorStats stats) {
        String resource = key.resource();
        // a summary's last '*' or '**' is the agent's own pattern; the directory before it is a learned name
        if (stats.summary() && isSummary(resource)) resource = resource.substring(0, resource.lastIndexOf('/'));
        if (Patterns.hasMetacharacters(resource)) return true;
        for (String a : key.args()) if (a != null && Patterns.hasMetacharacters(a)) return true;
        if (key.category() == Category.CLASS_DEFINITION) {
            for (String loader : stats.loaders()) if (Patterns.hasMetacharacters(loader)) return true;
        }
        return false;
    }

    private void addNetwork(BehaviorKey key, BehaviorStats stats, Set<String> namedEndpoints) {
        Matcher m = NETWORK.matcher(key.resource());
        if (!m.matches()) {
            notes.add("unrecognized network resource skipped: " + key.resource());
            return;
        }
        String protocol = m.group(1);
        String host = unbracket(m.group(2));
        String port = m.group(3);
        Operation op = key.operation();
        if (op == Operation.LISTEN || op == Operation.ACCEPT || host.isEmpty()) {
            // the remote side of an accepted connection is an ephemeral client port: only the local port is a rule
            Draft d = draft(Category.NETWORK, "local|" + protocol + "|" + port, "on-" + port);
            d.add(key, stats, op, Selector.PORTS, port, false);
            d.values(Selector.PROTOCOLS).add(protocol);
            return;
        }
        if (isAddress(host) && namedEndpoints.contains(endpoint(protocol, host, port))) {
            return; // the same connection was also seen by name; the name is the rule
        }
        Selector selector = isAddress(host) ? Selector.CIDRS : Selector.HOSTS;
        String value = selector == Selector.HOSTS ? Patterns.literal(host.toLowerCase(Locale.ROOT)) : host;
        Draft d = draft(Category.NETWORK, "remote|" + protocol + "|" + value, "to-" + value);
        d.add(key, stats, op, selector, value, false);
        d.values(Selector.PORTS).add(port);
        d.values(Selector.PROTOCOLS).add(protocol);
    }

    private void addProcess(BehaviorKey key, BehaviorStats stats) {
        String executable = Patterns.literal(key.resource());
        List<String> args = key.args().size() > 1 ? key.args().subList(1, key.args().size()) : List.of();
        List<String> patterns = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        for (String a : args) {
            literals.add(Patterns.literal(a));
            patterns.add(exact || adding ? Patterns.literal(a) : PathPatterns.generalizeToken(a));
        }
        StringBuilder slug = new StringBuilder(PathPatterns.fileName(executable));
        for (int i = 0; i < Math.min(2, patterns.size()); i++) slug.append('-').append(argSlug(patterns.get(i)));
        Draft d = draft(Category.PROCESS, executable + "\u0000" + String.join("\u0000", patterns), slug.toString());
        d.add(key, stats, key.operation(), Selector.EXECUTABLES, executable, !patterns.equals(literals));
        d.argPatterns = patterns; // empty: exactly no arguments, not any
    }

    private Draft draft(Category category, String identity, String slug) {
        Draft d = drafts.computeIfAbsent(category.ordinal() + "|" + category.wireName() + "|" + identity,
                k -> new Draft(category, slug));
        d.flagged |= adding;
        return d;
    }

    // --- collapsing ------------------------------------------------------------------------------------------

    /** A directory the agent summarized for its many files (docs/PROFILE.md): {@code dir/*} or {@code dir/**}. */
    private static boolean isSummary(String resource) {
        return resource.endsWith("/*") || resource.endsWith("/**");
    }

    /** Summaries follow the collapse rules: never a secret or system directory, never a write where code lives. */
    private static boolean summaryAllowed(String resource, Operation op, SortedSet<String> jdkHomes) {
        String dir = resource.substring(0, resource.lastIndexOf('/'));
        if (dir.isEmpty() || !collapsible(dir)) return false;
        return READ_ONLY.contains(op) || writeCollapsible(dir, jdkHomes);
    }

    /** The application's own jars: two or more read-only jars in one directory become {@code dir/*.jar}. */
    private void collapseJars() {
        collapse(Category.FILE, d -> {
            String path = d.only(Selector.PATHS);
            if (path == null || !path.endsWith(".jar") || !READ_ONLY.containsAll(d.operations)) return null;
            String parent = PathPatterns.parent(path);
            return collapsible(parent) ? parent + "/*.jar" : null;
        }, 2, Selector.PATHS);
    }

    /** Many read-only files in one (non-system, non-secret) directory become {@code dir/*}. */
    private void collapseSiblings() {
        collapse(Category.FILE, d -> {
            String path = d.only(Selector.PATHS);
            if (path == null || path.endsWith("/**") || !READ_ONLY.containsAll(d.operations)) return null;
            String parent = PathPatterns.parent(path);
            return collapsible(parent) ? parent + "/*" : null;
        }, options.collapseThreshold(), Selector.PATHS);
    }

    private void collapseDnsNames() {
        collapse(Category.DNS, d -> {
            String name = d.only(Selector.NAMES);
            if (name == null || name.startsWith("*.")) return null;
            int dot = name.indexOf('.');
            String parent = dot < 0 ? "" : name.substring(dot + 1);
            return parent.indexOf('.') > 0 ? "*." + parent : null;
        }, options.collapseThreshold(), Selector.NAMES);
    }

    private void collapsePackages() {
        collapse(Category.DESERIALIZATION, d -> {
            String cls = d.only(Selector.CLASSES);
            if (cls == null || cls.endsWith("*")) return null;
            int dot = cls.lastIndexOf('.');
            if (dot < 0) return null;
            for (String p : NO_COLLAPSE_PACKAGES) if (cls.startsWith(p)) return null;
            return cls.substring(0, dot) + ".*";
        }, options.collapseThreshold(), Selector.CLASSES);
    }

    private void collapse(Category category, java.util.function.Function<Draft, String> groupOf, int threshold,
                          Selector selector) {
        Map<String, List<String>> groups = new TreeMap<>();
        for (Map.Entry<String, Draft> e : drafts.entrySet()) {
            Draft d = e.getValue();
            if (d.category != category || d.argPatterns != null || d.selectors.size() != 1 || d.flagged) continue;
            String group = groupOf.apply(d);
            if (group != null) groups.computeIfAbsent(group, k -> new ArrayList<>()).add(e.getKey());
        }
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            if (g.getValue().size() < threshold) continue;
            String pattern = g.getKey();
            merge(category, pattern, g.getValue(), selector, category == Category.FILE ? pathSlug(rootify(pattern))
                    : category == Category.DNS ? pattern.substring(2) : classSlug(pattern));
        }
    }

    /** Replaces the drafts under {@code keys} by one draft whose only selector value is {@code pattern}. */
    private void merge(Category category, String pattern, List<String> keys, Selector selector, String slug) {
        Draft merged = new Draft(category, slug);
        for (String k : keys) merged.absorb(drafts.remove(k));
        merged.selectors.clear();
        merged.values(selector).add(pattern);
        Draft existing = drafts.get(category.ordinal() + "|" + category.wireName() + "|" + pattern);
        if (existing != null) existing.absorb(merged);
        else drafts.put(category.ordinal() + "|" + category.wireName() + "|" + pattern, merged);
    }

    /**
     * The application's data directory: when it wrote (or created, or deleted) {@code --collapse} or more distinct
     * files directly in one directory, the names are its users' (uploads, documents, per-entity files), so every file
     * operation seen on that directory's children becomes one {@code dir/*} rule. Never where a generated write
     * could plant code or alter the system: the read-only collapse exclusions, {@code /usr}, {@code /bin},
     * {@code /lib}, {@code /boot}, all of {@code /etc}, a JDK home, or a directory holding code (jars, classes,
     * shared libraries, scripts, anything executed or loaded).
     */
    private void collapseWrittenDirectories(Set<String> codeDirectories, SortedSet<String> jdkHomes) {
        Map<String, List<String>> byDirectory = new TreeMap<>();
        for (Map.Entry<String, Draft> e : drafts.entrySet()) {
            Draft d = e.getValue();
            if (d.category != Category.FILE || d.argPatterns != null || d.selectors.size() != 1 || d.flagged) continue;
            String path = d.only(Selector.PATHS);
            if (path == null || path.endsWith("/**") || d.operations.contains(Operation.EXEC)) continue;
            byDirectory.computeIfAbsent(PathPatterns.parent(path), k -> new ArrayList<>()).add(e.getKey());
        }
        for (Map.Entry<String, List<String>> g : byDirectory.entrySet()) {
            String dir = g.getKey();
            if (!writeCollapsible(dir, jdkHomes) || codeDirectories.contains(dir)) continue;
            long written = g.getValue().stream()
                    .filter(k -> !java.util.Collections.disjoint(drafts.get(k).operations, MODIFYING)).count();
            // "-files": the directory itself (created, listed) usually has its own rule under the plain slug
            if (written >= options.collapseThreshold()) {
                merge(Category.FILE, dir + "/*", g.getValue(), Selector.PATHS, pathSlug(dir) + "-files");
            }
        }
    }

    private static boolean writeCollapsible(String dir, SortedSet<String> jdkHomes) {
        if (!collapsible(dir) || dir.equals("/") || homeOf(dir + "/", jdkHomes) != null || jdkHomes.contains(dir)) {
            return false;
        }
        for (String tree : NO_WRITE_COLLAPSE_TREES) {
            if (dir.equals(tree) || dir.startsWith(tree + "/")) return false;
        }
        return true;
    }

    /** Directories holding code the application reads, loads or runs: never given a generated write pattern. */
    static Set<String> codeDirectories(Set<BehaviorKey> keys) {
        Set<String> out = new java.util.HashSet<>();
        for (BehaviorKey k : keys) {
            boolean code = switch (k.category()) {
                case NATIVE, DRIFT, PROCESS -> true;
                case FILE -> k.operation() == Operation.EXEC || CODE_FILE.matcher(k.resource()).matches();
                default -> false;
            };
            if (code && k.resource().startsWith("/")) out.add(PathPatterns.parent(k.resource()));
        }
        return out;
    }

    /**
     * One executable run on many files of one directory ({@code sha256sum /app/data/docs/<name>}): commands with the
     * same executable and argument count whose arguments differ only where they are absolute paths in one
     * (collapsible) directory become one rule with {@code dir/*} at those positions, once {@code --collapse} distinct
     * commands share the shape. Arguments that are not such paths must be equal: they are never widened to {@code *}.
     * Names that look generated (numbers, UUIDs, hashes) were already patterns before this step. Never for shells,
     * interpreters and programs that run other commands or touch many files by design (their arguments are code).
     */
    private void collapseProcessArguments() {
        Map<String, List<String>> groups = new TreeMap<>();
        for (Map.Entry<String, Draft> e : drafts.entrySet()) {
            Draft d = e.getValue();
            String executable = d.only(Selector.EXECUTABLES);
            if (d.category != Category.PROCESS || d.argPatterns == null || executable == null || d.flagged
                    || INTERPRETER.matcher(PathPatterns.fileName(executable)).matches()) {
                continue;
            }
            StringBuilder shape = new StringBuilder(executable).append('\u0000').append(d.argPatterns.size());
            for (String a : d.argPatterns) {
                String dir = argumentDirectory(a);
                shape.append('\u0000').append(dir == null ? a : dir + "/*");
            }
            groups.computeIfAbsent(shape.toString(), k -> new ArrayList<>()).add(e.getKey());
        }
        for (List<String> keys : groups.values()) {
            if (keys.size() < options.collapseThreshold()) continue;
            List<Draft> members = keys.stream().map(drafts::get).toList();
            List<String> args = new ArrayList<>();
            for (int i = 0; i < members.get(0).argPatterns.size(); i++) {
                int position = i;
                Set<String> values = new TreeSet<>();
                members.forEach(m -> values.add(m.argPatterns.get(position)));
                String first = members.get(0).argPatterns.get(i);
                args.add(values.size() == 1 ? first : argumentDirectory(first) + "/*");
            }
            List<Integer> directoryArgs = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                if (!members.get(0).argPatterns.get(i).equals(args.get(i))) directoryArgs.add(i);
            }
            String executable = members.get(0).only(Selector.EXECUTABLES);
            StringBuilder slug = new StringBuilder(PathPatterns.fileName(executable));
            for (int i = 0; i < Math.min(2, args.size()); i++) slug.append('-').append(argSlug(args.get(i)));
            Draft merged = new Draft(Category.PROCESS, slug.toString());
            for (String k : keys) merged.absorb(drafts.remove(k));
            merged.argPatterns = args;
            merged.directoryArgs.addAll(directoryArgs);
            String identity = Category.PROCESS.ordinal() + "|" + Category.PROCESS.wireName() + "|" + executable
                    + "\u0000" + String.join("\u0000", args);
            Draft existing = drafts.get(identity);
            if (existing != null) existing.absorb(merged);
            else drafts.put(identity, merged);
        }
    }

    /** The directory of an argument that is a plain absolute path in a collapsible directory, else null. */
    private static String argumentDirectory(String arg) {
        if (!arg.startsWith("/") || arg.endsWith("/") || arg.contains("//") || arg.contains("/./")
                || arg.contains("/../") || arg.endsWith("/.") || arg.endsWith("/..")) {
            return null;
        }
        String dir = PathPatterns.parent(arg);
        return dir.contains("*") || !collapsible(dir) ? null : dir;
    }

    private static String argSlug(String arg) {
        if (!arg.startsWith("/")) return arg;
        String slug = pathSlug(arg);
        int dash = slug.lastIndexOf('-');
        String last = PathPatterns.fileName(arg).replace("*", " ").trim();
        return last.isEmpty() ? slug.substring(dash + 1) : last;
    }

    private static boolean collapsible(String dir) {
        if (NO_COLLAPSE_DIRS.contains(dir) || dir.contains("*")) return false;
        for (String allowed : COLLAPSE_ALLOWED_UNDER_ETC) {
            if (dir.equals(allowed) || dir.startsWith(allowed + "/")) return true;
        }
        for (String tree : NO_COLLAPSE_TREES) {
            if (dir.equals(tree) || dir.startsWith(tree + "/")) return false;
        }
        for (String segment : dir.split("/")) {
            if (segment.startsWith(".") || segment.contains("secret") || segment.contains("private")) return false;
        }
        return true;
    }

    /** Many ephemeral ports to one host (passive FTP, RMI) become the observed range, not one rule per port. */
    private void rangeEphemeralPorts() {
        for (Draft d : drafts.values()) {
            if (d.category != Category.NETWORK || !d.selectors.containsKey(Selector.PORTS)) continue;
            if (!d.selectors.containsKey(Selector.HOSTS) && !d.selectors.containsKey(Selector.CIDRS)) continue;
            TreeSet<String> ports = d.values(Selector.PORTS);
            List<String> ephemeral = ports.stream().filter(p -> portStart(p) >= EPHEMERAL_PORT_MIN).toList();
            if (ephemeral.size() < EPHEMERAL_PORT_THRESHOLD) continue;
            ports.removeAll(ephemeral);
            ports.add(ephemeral.get(0) + "-" + ephemeral.get(ephemeral.size() - 1));
            d.generalized = true;
        }
    }

    // --- building ------------------------------------------------------------------------------------------

    private Generated build(MergedProfile profile) {
        Policy.Builder policy = Policy.builder(options.name()).mode(options.mode());
        for (Category c : Category.values()) policy.defaultAction(c, Action.DENY);
        Map<String, Draft> byId = assignIds();
        Map<String, List<String>> comments = new LinkedHashMap<>();
        Map<String, String> emitted = new HashMap<>();
        for (Map.Entry<String, Draft> e : byId.entrySet()) {
            Draft d = e.getValue();
            String invalid = invalidValue(d);
            if (invalid != null) {
                // Profiles come from application output, which an attacker can write to: never emit what would not parse.
                notes.add("skipped a " + d.category.wireName() + " behavior whose resource is not a valid pattern: " + invalid);
                continue;
            }
            Rule rule = rule(e.getKey(), d);
            // Two learned paths written from one root (each class path entry is ${app.classpath}) make one rule.
            String content = rule.category() + " " + rule.action() + " " + rule.operations() + " " + rule.selectors();
            String same = emitted.putIfAbsent(content, e.getKey());
            if (same != null) {
                comments.get(same).add("also " + e.getKey() + ": " + d.evidence.examples());
                continue;
            }
            policy.rule(rule);
            List<String> comment = new ArrayList<>(d.evidence.comment(d.generalized));
            if (d.flagged) {
                comment.add("REVIEW: a learned name holds '*' or '\\'; written escaped, it matches only that exact name");
                warnings.add("learned " + d.category.wireName() + " name " + d.evidence.examples()
                        + " holds '*' or '\\': kept as the literal rule " + e.getKey() + " (never a wildcard); review it");
            }
            comments.put(e.getKey(), comment);
        }
        List<String> header = new ArrayList<>();
        header.add("Generated by inlay policy generate from " + profile.documents() + " profile documents ("
                + profile.runs() + " runs, " + profile.replicas() + " replicas, " + profile.distinctBehaviors()
                + " distinct behaviors).");
        if (profile.writtenMillis() != Long.MIN_VALUE) {
            header.add("Learned until " + Times.format(profile.writtenMillis()) + ". Everything not listed is denied.");
        }
        if (profile.notRecorded() > 0) {
            header.add("WARNING: the profile is incomplete: " + profile.notRecorded() + " operations were not recorded "
                    + "(the agent's maxBehaviors cap); what they were is denied.");
        }
        if (profile.missingDocuments() > 0) {
            header.add("WARNING: the profile is incomplete: " + profile.missingDocuments() + " profile documents are "
                    + "missing (gaps in a run's seq or chunk numbers); what they held is denied.");
        }
        if (!summaries.isEmpty()) {
            header.add("Directories the agent summarized for their many files (maxPerDirectory): "
                    + String.join(", ", summaries.stream().limit(20).toList())
                    + (summaries.size() > 20 ? " and " + (summaries.size() - 20) + " more" : "") + ".");
        }
        header.addAll(notes);
        for (String w : warnings) header.add("warning: " + w);
        return new Generated(policy.build(), comments, header, List.copyOf(warnings));
    }

    /** The rule of a draft; paths and executables at or under a root are written from it. */
    private Rule rule(String id, Draft d) {
        Rule.Builder rule = Rule.builder(id, d.category).action(Action.ALLOW).operations(d.operations);
        d.selectors.forEach((s, values) -> {
            if (s != Selector.PATHS && s != Selector.EXECUTABLES) {
                rule.selector(s, new ArrayList<>(values));
                return;
            }
            TreeSet<String> written = new TreeSet<>();
            for (String v : values) written.add(rootify(v));
            rule.selector(s, new ArrayList<>(written));
        });
        if (d.argPatterns != null) rule.selector(Selector.ARGS, d.argPatterns);
        return rule.build();
    }

    // --- the lint gate -------------------------------------------------------------------------------------

    /**
     * Generation never emits what {@code policy lint} calls broad or secret. A generalized rule lint objects to is
     * replaced by its learned behaviors, each exactly as learned; a rule lint still objects to (a read of
     * {@code /etc/shadow}, anything under {@code /root}) is kept out of the policy, with the reason on stderr and in the
     * header: allowing it takes a person who writes the rule by hand.
     */
    private void gate(Set<String> namedEndpoints) {
        List<Map.Entry<BehaviorKey, BehaviorStats>> again = new ArrayList<>();
        for (java.util.Iterator<Draft> it = drafts.values().iterator(); it.hasNext(); ) {
            Draft d = it.next();
            List<PolicyLinter.Finding> findings = findings(d);
            if (findings.isEmpty()) continue;
            it.remove();
            if (d.generalized && !exact) {
                notes.add("not generalized: " + findings.get(0).message() + " (lint: " + kind(findings.get(0))
                        + "); written as the " + d.members.size() + " learned " + d.category.wireName() + " behaviors instead");
                again.addAll(d.members);
            } else {
                keptOut(d, findings.get(0));
            }
        }
        if (again.isEmpty()) return;
        PolicyGenerator exactly = new PolicyGenerator(options, true, roots);
        for (Map.Entry<BehaviorKey, BehaviorStats> m : again) {
            exactly.addBehavior(m.getKey(), m.getValue(), new TreeSet<>(), namedEndpoints);
        }
        notes.addAll(exactly.notes);
        for (Map.Entry<String, Draft> e : exactly.drafts.entrySet()) {
            Draft d = e.getValue();
            List<PolicyLinter.Finding> findings = findings(d);
            if (!findings.isEmpty()) {
                keptOut(d, findings.get(0));
                continue;
            }
            Draft existing = drafts.get(e.getKey());
            if (existing == null) {
                drafts.put(e.getKey(), d);
            } else {
                boolean generalized = existing.generalized;
                existing.absorb(d);
                existing.generalized = generalized;
            }
        }
    }

    private List<PolicyLinter.Finding> findings(Draft d) {
        if (invalidValue(d) != null) return List.of(); // refused at build with its own note
        List<PolicyLinter.Finding> out = new ArrayList<>();
        for (PolicyLinter.Finding f : PolicyLinter.permissions(rule("gate", d))) {
            if (f.kind() == PolicyLinter.Kind.BROAD || f.kind() == PolicyLinter.Kind.SECRET) out.add(f);
        }
        return out;
    }

    private void keptOut(Draft d, PolicyLinter.Finding why) {
        List<String> ops = new ArrayList<>();
        for (Operation o : d.operations) ops.add(o.wireName());
        String message = "kept out of the policy: " + d.category.wireName() + " " + String.join(",", ops) + " "
                + d.evidence.examples() + ": lint calls it " + kind(why) + " (" + why.message()
                + "); if the application needs it, write the rule by hand after review";
        warnings.add(message); // in the header too, as every warning
    }

    private static String kind(PolicyLinter.Finding f) {
        return f.kind().name().toLowerCase(Locale.ROOT);
    }

    private static String printable(String v) {
        StringBuilder b = new StringBuilder();
        v.codePoints().limit(120).forEach(c -> b.append(Character.isISOControl(c) || !Character.isDefined(c) ? "?" : Character.toString(c)));
        return b.toString();
    }

    private static String invalidValue(Draft d) {
        for (Map.Entry<Selector, ? extends java.util.Collection<String>> e : d.selectors.entrySet()) {
            for (String v : e.getValue()) {
                if (dev.inlay.policy.Patterns.check(e.getKey(), v) != null) return printable(v);
            }
        }
        return null;
    }

    /** Ids from content: {@code category-slug}; on a collision every rule after the first gets a content hash suffix. */
    private Map<String, Draft> assignIds() {
        List<Draft> ordered = new ArrayList<>(drafts.values());
        ordered.sort(Comparator.comparing((Draft d) -> d.category.ordinal()).thenComparing(Draft::content));
        Map<String, Draft> byId = new TreeMap<>(Comparator.comparing((String id) -> byIdCategory(id, ordered))
                .thenComparing(Comparator.naturalOrder()));
        Map<String, Draft> taken = new HashMap<>();
        for (Draft d : ordered) {
            String base = d.category.wireName() + "-" + sanitize(d.slug);
            String id = taken.containsKey(base) ? base + "-" + shortHash(d.content()) : base;
            taken.put(id, d);
        }
        byId.putAll(taken);
        return byId;
    }

    private static int byIdCategory(String id, List<Draft> ordered) {
        for (Category c : Category.values()) if (id.startsWith(c.wireName() + "-")) return c.ordinal();
        return Integer.MAX_VALUE;
    }

    static String sanitize(String slug) {
        String s = slug.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 48) {
            boolean cutInWord = s.charAt(s.length() - 49) != '-';
            s = s.substring(s.length() - 48);
            if (cutInWord && s.indexOf('-') > 0) s = s.substring(s.indexOf('-'));
            s = s.replaceAll("^-+", "");
        }
        return s.isEmpty() ? "root" : s;
    }

    private static String shortHash(String content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** JDK homes: directories holding the files only a Java runtime has, under which the JVM reads its own files. */
    static SortedSet<String> jdkHomes(Set<BehaviorKey> keys) {
        TreeSet<String> homes = new TreeSet<>();
        for (BehaviorKey k : keys) {
            if (k.category() != Category.FILE && k.category() != Category.NATIVE && k.category() != Category.PROCESS) continue;
            if (Patterns.hasMetacharacters(k.resource())) continue; // never a home from a name that could be a pattern
            for (String marker : JDK_MARKERS) {
                String p = k.resource();
                if (p.endsWith(marker) && p.length() > marker.length()) {
                    String home = p.substring(0, p.length() - marker.length());
                    if (home.lastIndexOf('/') > 0 && collapsible(home)) homes.add(home);
                }
            }
        }
        return homes;
    }

    private static String homeOf(String path, SortedSet<String> homes) {
        for (String home : homes) if (path.startsWith(home + "/")) return home;
        return null;
    }

    private static Set<String> namedEndpoints(Map<BehaviorKey, BehaviorStats> behaviors) {
        Set<String> out = new java.util.HashSet<>();
        for (Map.Entry<BehaviorKey, BehaviorStats> e : behaviors.entrySet()) {
            if (e.getKey().category() != Category.NETWORK) continue;
            Matcher m = NETWORK.matcher(e.getKey().resource());
            if (!m.matches() || isAddress(unbracket(m.group(2)))) continue;
            for (String address : e.getValue().addresses()) out.add(endpoint(m.group(1), unbracket(address), m.group(3)));
        }
        return out;
    }

    private static String endpoint(String protocol, String address, String port) {
        return protocol + "|" + address + "|" + port;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static boolean isAddress(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }

    private static int portStart(String port) {
        int dash = port.indexOf('-');
        try {
            return Integer.parseInt(dash < 0 ? port : port.substring(0, dash));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String pathSlug(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String segment : pattern.split("/")) {
            String s = segment.replace("*", " ").trim();
            if (!s.isEmpty()) parts.add(s);
        }
        return String.join("-", parts.subList(Math.max(0, parts.size() - 3), parts.size()));
    }

    private static String classSlug(String pattern) {
        String[] parts = pattern.replace("*", " ").trim().split("\\.");
        int from = Math.max(0, parts.length - 2);
        return String.join("-", java.util.Arrays.asList(parts).subList(from, parts.length));
    }

    /** Generated class names (lambdas, proxies, accessors, CGLIB and ByteBuddy subclasses) as patterns. */
    static String generalizeClassName(String name) {
        if (name.indexOf(PathPatterns.GENERALIZED) >= 0) return Patterns.literal(name);
        String mark = String.valueOf(PathPatterns.GENERALIZED);
        String s = name.replaceAll("\\$\\$Lambda(\\$\\d+)?(/0x[0-9a-fA-F]+)?", "\\$\\$Lambda" + mark);
        s = s.replaceAll("(\\$Proxy|Accessor)\\d+", "$1" + mark);
        s = s.replaceAll("(\\$\\$(?:EnhancerByCGLIB|FastClassByCGLIB|SpringCGLIB|EnhancerBySpringCGLIB)\\$\\$)[0-9A-Za-z]+", "$1" + mark);
        // ByteBuddy's random suffixes (a new one each run): its default, Hibernate 6's proxies, instantiators and
        // access optimizers, Mockito's mocks
        s = s.replaceAll("(\\$(?:ByteBuddy|HibernateProxy|HibernateBasicProxy|HibernateInstantiator"
                + "|HibernateAccessOptimizer|MockitoMock)\\$)[0-9A-Za-z]+", "$1" + mark);
        // hidden classes end in '/0x...'; '/' is not part of a class pattern but '*' matches it
        s = s.replaceAll("/0x[0-9a-fA-F]+", mark);
        return PathPatterns.toPattern(s.replaceAll(mark + "{2,}", mark));
    }
}
