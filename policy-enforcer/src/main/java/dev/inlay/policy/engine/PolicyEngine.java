package dev.inlay.policy.engine;

import dev.inlay.model.Component;
import dev.inlay.policy.Category;
import dev.inlay.policy.Mode;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Patterns;
import dev.inlay.policy.Policy;
import dev.inlay.policy.Roots;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;

import java.net.InetAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A policy compiled into matchers. Thread-safe and lock-free: all state is built in {@link #compile} and never
 * changes. Deciding an allowed operation allocates nothing for normalized input. When several rules match, the most
 * severe action wins (kill > deny > alert > allow), so an explicit deny always beats an allow; among equals, the first
 * in the document.
 *
 * <p>Every decision names who asked: a {@link Component} or null for the JVM itself (only JDK and inlay frames). A rule
 * with a {@code components} selector applies only to the components it names; the JVM itself gets only the rules
 * without one. Which scoped rules apply to a component is worked out once per compiled engine and kept on the
 * component ({@link Component#engineMemo}), so a decision pays a reference compare and an array load for it.
 *
 * <p>The methods without {@code who} are the JVM's own decisions and delegate to the overloads with null. The agent
 * calls the overloads directly: its allowed path stays allocation-free only while the JIT inlines the whole decision
 * into it, and the delegation would be one call level more.
 */
public final class PolicyEngine {
    private final Policy policy;
    private final Map<Category, RuleTable> tables = new EnumMap<>(Category.class);
    private final Decision[] defaults = new Decision[Category.values().length];
    private final GlobTrie files;
    /**
     * Built at the first network or DNS check, not with the engine: the agent compiles its engine before the
     * application's main(), and these two matchers are most of the engine's classes.
     */
    private volatile NetworkMatcher network;

    private volatile NetworkMatcher dns;
    private final GlobTrie nativeLibraries;
    private final GlobTrie deserialization;
    private final GlobTrie drift;
    private final SegmentPattern[][] processExecutables;
    /** Per process rule and argument position: the path pattern for arguments written as absolute paths, else null. */
    private final SegmentPattern[][] processArgPaths;

    private final SegmentPattern[][] classDefinitionClasses;
    private final SegmentPattern[][] classDefinitionLoaders;
    private final SegmentPattern[][] capabilityCallers;
    private final SegmentPattern[][] capabilityClasses;

    /**
     * Per category, per rule: whether it applies to the JVM itself (true for rules without {@code components}); null
     * for a category without any component-scoped rule, where every rule applies to everyone.
     */
    private final boolean[][] jvmApplies = new boolean[Category.values().length][];
    /** Per category, per rule: its {@code components} patterns, null for rules without them. */
    private final ComponentPattern[][][] componentPatterns = new ComponentPattern[Category.values().length][][];

    /**
     * What one compiled engine worked out for one component: per category, which rules apply to it (null where none is
     * scoped). Immutable, published through the component's volatile {@link Component#engineMemo}; a component met by
     * another engine (after a reload) gets that engine's memo, never this one's.
     *
     * <p>Two engines may decide for the same component in turn: the policy in force and a candidate beside it (shadow
     * mode, docs/EVENTS.md). So a memo keeps the memo of the engine that came before it ({@link #other}, one level):
     * both find theirs without recomputing, and a third engine (a reload) drops the oldest. At most one engine that is
     * no longer used stays reachable that way, until the components meet the next one.
     */
    private static final class Memo {
        final PolicyEngine engine;
        final boolean[][] applies;
        /** Another engine's memo for the same component, without its own {@code other}; or null. */
        final Memo other;

        Memo(PolicyEngine engine, boolean[][] applies, Memo other) {
            this.engine = engine;
            this.applies = applies;
            this.other = other;
        }
    }

    /** @param literal the policy with its roots replaced by the paths they resolve to (the same when it has none) */
    private PolicyEngine(Policy policy, Policy literal) {
        this.policy = policy;
        for (Category c : Category.values()) {
            tables.put(c, new RuleTable(literal.rules(c)));
            defaults[c.ordinal()] = new Decision(c, literal.defaultAction(c), Decision.defaultRuleId(c), true);
            scope(c);
        }
        files = trie(Category.FILE, Selector.PATHS, '/', true);
        nativeLibraries = trie(Category.NATIVE, Selector.PATHS, '/', true);
        deserialization = trie(Category.DESERIALIZATION, Selector.CLASSES, '.', false);
        drift = trie(Category.DRIFT, Selector.PATHS, '/', true);
        processExecutables = patterns(Category.PROCESS, Selector.EXECUTABLES, '/', true);
        processArgPaths = argPathPatterns(tables.get(Category.PROCESS));
        classDefinitionClasses = patterns(Category.CLASS_DEFINITION, Selector.CLASSES, '.', false);
        classDefinitionLoaders = patterns(Category.CLASS_DEFINITION, Selector.LOADERS, '.', false);
        capabilityCallers = patterns(Category.CAPABILITY, Selector.CALLERS, '/', true);
        capabilityClasses = patterns(Category.CAPABILITY, Selector.CLASSES, '.', false);
    }

    private void scope(Category category) {
        RuleTable table = tables.get(category);
        ComponentPattern[][] patterns = null;
        for (int r = 0; r < table.size(); r++) {
            List<String> values = table.rules[r].values(Selector.COMPONENTS);
            if (values.isEmpty()) continue;
            if (patterns == null) patterns = new ComponentPattern[table.size()][];
            patterns[r] = new ComponentPattern[values.size()];
            for (int i = 0; i < values.size(); i++) patterns[r][i] = new ComponentPattern(values.get(i));
        }
        if (patterns == null) return;
        boolean[] jvm = new boolean[table.size()];
        for (int r = 0; r < jvm.length; r++) jvm[r] = patterns[r] == null;
        jvmApplies[category.ordinal()] = jvm;
        componentPatterns[category.ordinal()] = patterns;
    }

    /**
     * Whether any rule of the category has a {@code components} selector: only then does a decision of the category
     * depend on who asked, so only then need the agent find out (walk the stack) outside learn mode.
     */
    public boolean scopedByComponent(Category category) {
        return jvmApplies[category.ordinal()] != null;
    }

    /** Per rule of the category, whether it applies to {@code who}; null when all do. The hot path: no allocation. */
    private boolean[] applies(Category category, Component who) {
        int c = category.ordinal();
        boolean[] jvm = jvmApplies[c];
        if (jvm == null || who == null) return jvm;
        Object memo = who.engineMemo;
        if (memo instanceof Memo m) {
            if (m.engine == this) return m.applies[c];
            Memo other = m.other;
            if (other != null && other.engine == this) return other.applies[c];
        }
        return remember(who, memo).applies[c];
    }

    /** Matches the component against every scoped rule once; racing threads compute equal memos, either one wins. */
    private Memo remember(Component who, Object previous) {
        boolean[][] applies = new boolean[jvmApplies.length][];
        for (int c = 0; c < applies.length; c++) {
            ComponentPattern[][] patterns = componentPatterns[c];
            if (patterns == null) continue;
            applies[c] = new boolean[patterns.length];
            for (int r = 0; r < patterns.length; r++) {
                applies[c][r] = patterns[r] == null || ComponentPattern.anyMatches(patterns[r], who.id, who.location);
            }
        }
        Memo other = null;
        if (previous instanceof Memo m && m.engine != this) {
            other = m.other == null ? m : new Memo(m.engine, m.applies, null);
        }
        Memo memo = new Memo(this, applies, other);
        who.engineMemo = memo;
        return memo;
    }

    /** Compiles a policy; its roots ({@code ${java.home}}...) resolve to this JVM's paths. */
    public static PolicyEngine compile(Policy policy) {
        return compile(policy, Roots.used(policy) ? Roots.current() : null);
    }

    /** Compiles a policy with its roots resolved to the given paths (null: the policy has none). */
    public static PolicyEngine compile(Policy policy, Roots roots) {
        return new PolicyEngine(policy, roots == null ? policy : roots.expand(policy));
    }

    public Policy policy() {
        return policy;
    }

    public Mode mode() {
        return policy.mode();
    }

    /** The decision used when no rule of the category matches. */
    public Decision defaultDecision(Category category) {
        return defaults[category.ordinal()];
    }

    /** A file operation on an absolute path; the path is normalized lexically first. */
    public Decision file(Operation operation, String path) {
        return file(operation, path, null);
    }

    /** {@link #file(Operation, String)} asked by {@code who} (null: the JVM itself). */
    public Decision file(Operation operation, String path, Component who) {
        return decide(
                Category.FILE,
                files.match(
                        Paths.normalize(path),
                        operation.bit(),
                        tables.get(Category.FILE),
                        applies(Category.FILE, who)));
    }

    /**
     * A network operation. {@code operation} is CONNECT (TCP connect, UDP send/connect), LISTEN (bind for TCP listen or
     * UDP receive) or ACCEPT. {@code host} is the name the application used, null when it used an address;
     * {@code address} may be null when unresolved. For LISTEN and ACCEPT the port is the local port and the address,
     * for ACCEPT, the peer's.
     */
    public Decision network(Operation operation, boolean udp, String host, InetAddress address, int port) {
        return network(operation, udp, host, address, port, null);
    }

    /** {@link #network(Operation, boolean, String, InetAddress, int)} asked by {@code who} (null: the JVM itself). */
    public Decision network(
            Operation operation, boolean udp, String host, InetAddress address, int port, Component who) {
        NetworkMatcher matcher = network;
        if (matcher == null) matcher = matcher(Category.NETWORK);
        int rule = matcher.match(
                operation.bit(),
                udp ? NetworkMatcher.UDP : NetworkMatcher.TCP,
                host,
                address,
                port,
                applies(Category.NETWORK, who));
        return decide(Category.NETWORK, rule);
    }

    /** A DNS resolution of a host name. */
    public Decision dns(String name) {
        return dns(name, null);
    }

    /** {@link #dns(String)} asked by {@code who} (null: the JVM itself). */
    public Decision dns(String name, Component who) {
        NetworkMatcher matcher = dns;
        if (matcher == null) matcher = matcher(Category.DNS);
        int rule = matcher.match(
                Operation.RESOLVE.bit(),
                NetworkMatcher.TCP | NetworkMatcher.UDP,
                name,
                null,
                0,
                applies(Category.DNS, who));
        return decide(Category.DNS, rule);
    }

    private synchronized NetworkMatcher matcher(Category category) {
        if (category == Category.NETWORK) {
            if (network == null) network = new NetworkMatcher(tables.get(Category.NETWORK), Selector.HOSTS);
            return network;
        }
        if (dns == null) dns = new NetworkMatcher(tables.get(Category.DNS), Selector.NAMES);
        return dns;
    }

    /**
     * Starting a process; {@code command.get(0)} is the executable (absolute when the caller could resolve it), the rest
     * its arguments. A rule's {@code args} patterns match the arguments after the executable, one by one; a final
     * {@code **} matches any remaining ones.
     */
    public Decision process(List<String> command) {
        return process(command, null);
    }

    /** {@link #process(List)} asked by {@code who} (null: the JVM itself). */
    public Decision process(List<String> command, Component who) {
        RuleTable table = tables.get(Category.PROCESS);
        if (command.isEmpty()) return defaults[Category.PROCESS.ordinal()];
        String executable = Paths.normalize(command.get(0));
        boolean[] applies = applies(Category.PROCESS, who);
        int best = -1;
        for (int r = 0; r < table.size(); r++) {
            if (applies != null && !applies[r]) continue;
            Rule rule = table.rules[r];
            if (anyMatches(processExecutables[r], executable)
                    && (!rule.selectors().containsKey(Selector.ARGS)
                            || argsMatch(rule.values(Selector.ARGS), processArgPaths[r], command))) {
                best = table.better(best, r);
            }
        }
        return decide(Category.PROCESS, best);
    }

    /** Loading a native library from an absolute path. */
    public Decision nativeLibrary(String path) {
        return nativeLibrary(path, null);
    }

    /** {@link #nativeLibrary(String)} asked by {@code who} (null: the JVM itself). */
    public Decision nativeLibrary(String path, Component who) {
        return decide(
                Category.NATIVE,
                nativeLibraries.match(
                        Paths.normalize(path),
                        Operation.LOAD.bit(),
                        tables.get(Category.NATIVE),
                        applies(Category.NATIVE, who)));
    }

    /** A JNDI lookup of a name or URL ({@code ldap://host:389/x}, {@code java:comp/env}). */
    public Decision jndi(String name) {
        return jndi(name, null);
    }

    /** {@link #jndi(String)} asked by {@code who} (null: the JVM itself). */
    public Decision jndi(String name, Component who) {
        String scheme = JndiNames.scheme(name);
        String host = JndiNames.host(name);
        RuleTable table = tables.get(Category.JNDI);
        boolean[] applies = applies(Category.JNDI, who);
        int best = -1;
        for (int r = 0; r < table.size(); r++) {
            if (applies != null && !applies[r]) continue;
            Rule rule = table.rules[r];
            List<String> schemes = rule.values(Selector.SCHEMES);
            List<String> hosts = rule.values(Selector.HOSTS);
            if (!schemes.isEmpty() && (scheme == null || !schemes.contains(scheme))) continue;
            if (!hosts.isEmpty() && (host == null || !hostMatches(hosts, host))) continue;
            best = table.better(best, r);
        }
        return decide(Category.JNDI, best);
    }

    /** Deserializing an instance of a class. */
    public Decision deserialization(String className) {
        return deserialization(className, null);
    }

    /** {@link #deserialization(String)} asked by {@code who} (null: the JVM itself). */
    public Decision deserialization(String className, Component who) {
        return decide(
                Category.DESERIALIZATION,
                deserialization.match(
                        className,
                        Operation.DESERIALIZE.bit(),
                        tables.get(Category.DESERIALIZATION),
                        applies(Category.DESERIALIZATION, who)));
    }

    /** Defining a class from bytes that did not come from a file on disk, by a loader of the given class. */
    public Decision classDefinition(String className, String loaderClassName) {
        return classDefinition(className, loaderClassName, null);
    }

    /** {@link #classDefinition(String, String)} asked by {@code who} (null: the JVM itself). */
    public Decision classDefinition(String className, String loaderClassName, Component who) {
        RuleTable table = tables.get(Category.CLASS_DEFINITION);
        boolean[] applies = applies(Category.CLASS_DEFINITION, who);
        int best = -1;
        for (int r = 0; r < table.size(); r++) {
            if (applies != null && !applies[r]) continue;
            if (anyMatches(classDefinitionClasses[r], className)
                    && anyMatches(classDefinitionLoaders[r], loaderClassName == null ? "" : loaderClassName)) {
                best = table.better(best, r);
            }
        }
        return decide(Category.CLASS_DEFINITION, best);
    }

    /**
     * A capability over the JVM ({@code unsafe}, {@code reflect}, {@code instrument}, {@code attach}) asked for by code
     * from {@code caller} (the code source path of the calling class, empty when it has none) about {@code className}
     * (the class concerned: {@code sun.misc.Unsafe}, the JDK class reflected on, the class retransformed, or the
     * attach target).
     */
    public Decision capability(Operation operation, String caller, String className) {
        return capability(operation, caller, className, null);
    }

    /**
     * {@link #capability(Operation, String, String)} asked by {@code who} (null: the JVM itself). The {@code callers}
     * selector still matches {@code caller}, the code source of the class that called the guarded JDK method; the
     * {@code components} selector matches {@code who}, the component the operation is attributed to.
     */
    public Decision capability(Operation operation, String caller, String className, Component who) {
        RuleTable table = tables.get(Category.CAPABILITY);
        String path = caller == null || caller.isEmpty() ? "" : Paths.normalize(caller);
        boolean[] applies = applies(Category.CAPABILITY, who);
        int best = -1;
        for (int r = 0; r < table.size(); r++) {
            if (applies != null && !applies[r]) continue;
            if ((table.operationMask[r] & operation.bit()) == 0) continue;
            if (capabilityCallers[r] != null && (path.isEmpty() || !anyMatches(capabilityCallers[r], path))) continue;
            if (anyMatches(capabilityClasses[r], className == null ? "" : className)) best = table.better(best, r);
        }
        return decide(Category.CAPABILITY, best);
    }

    /** Executing a file that is missing from, or changed since, the image's baseline. */
    public Decision drift(String path) {
        return drift(path, null);
    }

    /** {@link #drift(String)} asked by {@code who} (null: the JVM itself). */
    public Decision drift(String path, Component who) {
        return decide(
                Category.DRIFT,
                drift.match(
                        Paths.normalize(path),
                        Operation.EXEC.bit(),
                        tables.get(Category.DRIFT),
                        applies(Category.DRIFT, who)));
    }

    private Decision decide(Category category, int rule) {
        return rule < 0 ? defaults[category.ordinal()] : tables.get(category).decisions[rule];
    }

    private GlobTrie trie(Category category, Selector selector, char separator, boolean leading) {
        GlobTrie trie = new GlobTrie(separator, leading);
        RuleTable table = tables.get(category);
        for (int r = 0; r < table.size(); r++) {
            List<String> values = table.rules[r].values(selector);
            if (values.isEmpty()) trie.add(leading ? separator + "**" : "**", r);
            for (String v : values) trie.add(v, r);
        }
        return trie.freeze();
    }

    /** Per rule, its compiled patterns; null when the rule does not constrain the selector (matches anything). */
    private SegmentPattern[][] patterns(Category category, Selector selector, char separator, boolean leading) {
        RuleTable table = tables.get(category);
        SegmentPattern[][] out = new SegmentPattern[table.size()][];
        for (int r = 0; r < table.size(); r++) {
            List<String> values = table.rules[r].values(selector);
            if (values.isEmpty()) continue;
            out[r] = new SegmentPattern[values.size()];
            for (int i = 0; i < out[r].length; i++) out[r][i] = new SegmentPattern(values.get(i), separator, leading);
        }
        return out;
    }

    private static boolean anyMatches(SegmentPattern[] patterns, String s) {
        if (patterns == null) return true;
        for (SegmentPattern p : patterns) if (p.matches(s)) return true;
        return false;
    }

    /**
     * Argument patterns written as absolute paths match like paths: the argument is normalized first and {@code *}
     * stays within one segment, so {@code /data/*} cannot pass {@code /data/../etc/shadow} or {@code /data/a/b}.
     */
    private static boolean argsMatch(List<String> patterns, SegmentPattern[] pathPatterns, List<String> command) {
        int n = command.size() - 1;
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            if (p.equals("**") && i == patterns.size() - 1) return true;
            if (i >= n) return false;
            String arg = command.get(i + 1);
            if (arg == null) return false;
            if (pathPatterns[i] != null) {
                if (!arg.startsWith("/") || !pathPatterns[i].matches(Paths.normalize(arg))) return false;
            } else if (!Globs.matches(p, arg)) {
                return false;
            }
        }
        return n == patterns.size();
    }

    private static SegmentPattern[][] argPathPatterns(RuleTable table) {
        SegmentPattern[][] out = new SegmentPattern[table.size()][];
        for (int r = 0; r < table.size(); r++) {
            List<String> args = table.rules[r].values(Selector.ARGS);
            out[r] = new SegmentPattern[args.size()];
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.startsWith("/")) out[r][i] = new SegmentPattern(Paths.normalize(a), '/', true);
            }
        }
        return out;
    }

    private static boolean hostMatches(List<String> patterns, String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        for (String p : patterns) {
            if (p.startsWith("*.") ? h.endsWith(p.substring(1)) : h.equals(Patterns.unescape(p))) return true;
        }
        return false;
    }

    /** The action a decision results in under a mode: only enforce blocks. */
    public static boolean blocks(Mode mode, Decision decision) {
        return mode == Mode.ENFORCE && decision.action().blocks();
    }
}
