package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Patterns;
import dev.inlay.policy.Selector;
import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.BehaviorStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns each learned behavior into a draft rule, applying the generalizations that look at one name at a time: the
 * JDK home ({@link JdkHomes}), varying names ({@link PathPatterns}, {@link ClassNamePatterns}) below a root
 * ({@link LearnedRoots}), the agent's directory summaries, names over addresses ({@link NamedEndpoints}).
 *
 * <p>Every learned name is written as a literal ({@link Patterns#literal}: a learned '*' is the character, never a
 * wildcard); only the generalizations make patterns, and never from a name that held '*' or '\' (such a behavior is
 * kept exact and flagged). An exact drafter (the lint gate's second attempt) generalizes nothing.
 */
final class BehaviorDrafter {
    private static final Pattern JNDI = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(//([^/:?#]*))?.*");

    private final Drafts drafts;
    private final Notes notes;
    private final LearnedRoots roots;
    private final SortedSet<String> jdkHomes;
    private final NamedEndpoints namedEndpoints;
    private final boolean exact;
    /** Set while one behavior is added: whether its learned names hold pattern characters. */
    private boolean adding;

    BehaviorDrafter(
            Drafts drafts,
            Notes notes,
            LearnedRoots roots,
            SortedSet<String> jdkHomes,
            NamedEndpoints namedEndpoints,
            boolean exact) {
        this.drafts = drafts;
        this.notes = notes;
        this.roots = roots;
        this.jdkHomes = jdkHomes;
        this.namedEndpoints = namedEndpoints;
        this.exact = exact;
    }

    /** Drafts one behavior; false where it is not expressible as a rule (it stays denied). */
    boolean add(BehaviorKey key, BehaviorStats stats) {
        adding = hasMetacharacters(key, stats);
        boolean literal = exact || adding;
        String resource = key.resource();
        // A learned name that begins like a root (an executable "${app.classpath}" not found on PATH) has no literal
        // form: '$' is not escaped, and the policy would read it as the root. Not expressible: it stays denied.
        if (resource.startsWith("${")
                && key.category() != Category.NETWORK
                && key.category() != Category.DNS
                && key.category() != Category.JNDI) {
            return false;
        }
        Operation op = key.operation();
        switch (key.category()) {
            case FILE, NATIVE -> addFile(key, stats, literal);
            case DRIFT -> {
                String path = Patterns.literal(resource);
                draft(Category.DRIFT, path, Slugs.path(roots.rootify(path)))
                        .add(key, stats, op, Selector.PATHS, path, false);
            }
            case NETWORK -> addNetwork(key, stats);
            case DNS -> {
                String name = Patterns.literal(resource.toLowerCase(Locale.ROOT));
                draft(Category.DNS, name, name).add(key, stats, op, Selector.NAMES, name, false);
            }
            case PROCESS -> addProcess(key, stats);
            case JNDI -> {
                Matcher m = JNDI.matcher(resource);
                if (!m.matches()) return false;
                String scheme = m.group(1).toLowerCase(Locale.ROOT);
                String host = m.group(3) == null || m.group(3).isEmpty()
                        ? null
                        : Patterns.literal(m.group(3).toLowerCase(Locale.ROOT));
                Draft d = draft(Category.JNDI, scheme + "|" + host, scheme + (host == null ? "" : "-" + host));
                d.add(key, stats, op, Selector.SCHEMES, scheme, false);
                if (host != null) d.values(Selector.HOSTS).add(host);
            }
            case DESERIALIZATION -> {
                String cls = Patterns.literal(resource);
                draft(Category.DESERIALIZATION, cls, Slugs.className(cls))
                        .add(key, stats, op, Selector.CLASSES, cls, false);
            }
            case CLASS_DEFINITION -> {
                String pattern = literal ? Patterns.literal(resource) : ClassNamePatterns.generalize(resource);
                Draft d = draft(Category.CLASS_DEFINITION, pattern, Slugs.className(pattern));
                d.add(key, stats, op, Selector.CLASSES, pattern, !pattern.equals(Patterns.literal(resource)));
                for (String loader : stats.loaders()) d.values(Selector.LOADERS).add(Patterns.literal(loader));
            }
            case CAPABILITY -> {
                // The calling code's jar or directory: a library that needed Unsafe keeps it, other code does not.
                if (!resource.startsWith("/")) return false;
                String caller = Patterns.literal(resource);
                draft(Category.CAPABILITY, caller, Slugs.path(caller))
                        .add(key, stats, op, Selector.CALLERS, caller, false);
            }
        }
        return true;
    }

    private void addFile(BehaviorKey key, BehaviorStats stats, boolean literal) {
        String resource = key.resource();
        Operation op = key.operation();
        String home = literal ? null : JdkHomes.homeOf(resource, jdkHomes);
        boolean runtimeRead =
                home != null && (key.category() == Category.NATIVE || CollapseRules.READ_ONLY.contains(op));
        if (runtimeRead) {
            String tree = Patterns.literal(home) + "/**";
            draft(key.category(), tree, "jdk").add(key, stats, op, Selector.PATHS, tree, true);
        } else if (stats.summary() && !literal && isSummary(resource)) {
            // a directory the agent summarized (docs/PROFILE.md): its '*' is the agent's, not a learned name's
            String dir = resource.substring(0, resource.lastIndexOf('/'));
            String tail = resource.substring(dir.length());
            if (!summaryAllowed(resource, op)) {
                notes.header.add("the agent summarized " + op.wireName() + " of many files as " + resource
                        + ", a directory no generated pattern may cover: not allowed, review");
                return;
            }
            String pattern = PathPatterns.generalize(dir) + tail; // a tree stays a tree
            notes.summaries.add(pattern);
            draft(key.category(), pattern, Slugs.path(pattern)).add(key, stats, op, Selector.PATHS, pattern, true);
        } else {
            String pattern = literal ? Patterns.literal(resource) : roots.generalizeUnderRoot(resource);
            draft(key.category(), pattern, Slugs.path(roots.rootify(pattern)))
                    .add(key, stats, op, Selector.PATHS, pattern, !pattern.equals(Patterns.literal(resource)));
        }
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

    private void addNetwork(BehaviorKey key, BehaviorStats stats) {
        NetworkResource r = NetworkResource.parse(key.resource());
        if (r == null) {
            notes.header.add("unrecognized network resource skipped: " + key.resource());
            return;
        }
        Operation op = key.operation();
        if (op == Operation.LISTEN || op == Operation.ACCEPT || r.host().isEmpty()) {
            // the remote side of an accepted connection is an ephemeral client port: only the local port is a rule
            Draft d = draft(Category.NETWORK, "local|" + r.protocol() + "|" + r.port(), "on-" + r.port());
            d.add(key, stats, op, Selector.PORTS, r.port(), false);
            d.values(Selector.PROTOCOLS).add(r.protocol());
            return;
        }
        if (namedEndpoints.seenByName(r)) {
            return; // the same connection was also seen by name; the name is the rule
        }
        Selector selector = r.byAddress() ? Selector.CIDRS : Selector.HOSTS;
        String value = selector == Selector.HOSTS ? Patterns.literal(r.host().toLowerCase(Locale.ROOT)) : r.host();
        Draft d = draft(Category.NETWORK, "remote|" + r.protocol() + "|" + value, "to-" + value);
        d.add(key, stats, op, selector, value, false);
        d.values(Selector.PORTS).add(r.port());
        d.values(Selector.PROTOCOLS).add(r.protocol());
    }

    private void addProcess(BehaviorKey key, BehaviorStats stats) {
        String executable = Patterns.literal(key.resource());
        List<String> args =
                key.args().size() > 1 ? key.args().subList(1, key.args().size()) : List.of();
        List<String> patterns = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        for (String a : args) {
            literals.add(Patterns.literal(a));
            patterns.add(exact || adding ? Patterns.literal(a) : PathPatterns.generalizeToken(a));
        }
        Draft d = draft(
                Category.PROCESS,
                executable + "\u0000" + String.join("\u0000", patterns),
                Slugs.command(executable, patterns));
        d.add(key, stats, key.operation(), Selector.EXECUTABLES, executable, !patterns.equals(literals));
        d.argPatterns = patterns; // empty: exactly no arguments, not any
    }

    private Draft draft(Category category, String identity, String slug) {
        Draft d = drafts.draft(category, identity, slug);
        d.flagged |= adding;
        return d;
    }

    /** A directory the agent summarized for its many files (docs/PROFILE.md): {@code dir/*} or {@code dir/**}. */
    private static boolean isSummary(String resource) {
        return resource.endsWith("/*") || resource.endsWith("/**");
    }

    /** Summaries follow the collapse rules: never a secret or system directory, never a write where code lives. */
    private boolean summaryAllowed(String resource, Operation op) {
        String dir = resource.substring(0, resource.lastIndexOf('/'));
        if (dir.isEmpty() || !CollapseRules.collapsible(dir)) return false;
        return CollapseRules.READ_ONLY.contains(op) || CollapseRules.writeCollapsible(dir, jdkHomes);
    }
}
