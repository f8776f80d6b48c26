package dev.inlay.profiler.generate;

import dev.inlay.model.Component;
import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import dev.inlay.policy.Mode;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyWriter;
import dev.inlay.policy.Roots;
import dev.inlay.policy.Rule;
import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.BehaviorStats;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.Times;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Turns a merged profile into a policy that allows what was observed: stable things exactly, varying things (temporary
 * names, numbers, UUIDs, hashes, generated classes) as patterns, the JDK's own files as its home, many read-only
 * siblings, the many user-named files of a directory the application writes, and one program run on many files of one
 * directory as that directory where that is safe. Everything else is denied by default. docs/PROFILER.md lists the
 * rules with examples.
 *
 * <p>A pipeline: {@link BehaviorDrafter} makes one draft rule per learned behavior (generalizing single names), the
 * passes ({@link #passes}) collapse and range across drafts, the {@link LintGate} takes back what lint objects to,
 * {@link RuleIds} names the rules.
 *
 * <p>Generation never widens what was learned: learned names are literals (a learned {@code *} is escaped, and a
 * behavior holding one is kept exact and flagged), only these generalizations make patterns, and no rule that
 * {@code policy lint} calls broad or secret is written (see {@link LintGate}).
 */
public final class PolicyGenerator {
    /**
     * Distinct siblings needed before read-only files, written files, commands on one directory's files, DNS names or
     * classes collapse into their directory, domain or package.
     */
    public static final int DEFAULT_COLLAPSE_THRESHOLD = 8;

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
    public record Generated(
            Policy policy, Map<String, List<String>> ruleComments, List<String> header, List<String> warnings) {
        public String toYaml() {
            return PolicyWriter.toYaml(policy, ruleComments, header);
        }
    }

    private PolicyGenerator() {}

    public static Generated generate(MergedProfile profile, Options options) {
        Map<BehaviorKey, BehaviorStats> behaviors = profile.behaviors();
        LearnedRoots roots = new LearnedRoots(profile.roots());
        SortedSet<String> jdkHomes = JdkHomes.find(behaviors.keySet());
        // the learning JVM's own home, also when none of its marker files was seen
        for (String home : profile.roots().getOrDefault(Roots.JAVA_HOME, Set.of())) {
            if (CollapseRules.collapsible(home)) jdkHomes.add(home);
        }
        NamedEndpoints namedEndpoints = NamedEndpoints.of(behaviors);
        Notes notes = new Notes();
        int unexpressible = 0;
        // Each component's behaviors are drafted and generalized on their own, so that one library's many files never
        // widen what another may do; then the same rule drafted for several components becomes one rule.
        Map<String, Drafts> byComponent = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (Map.Entry<BehaviorKey, BehaviorStats> e : behaviors.entrySet()) {
            String component = e.getKey().component();
            Drafts drafts = byComponent.computeIfAbsent(
                    component == null ? null : Component.withoutVersion(component), k -> new Drafts());
            BehaviorDrafter drafter = new BehaviorDrafter(drafts, notes, roots, jdkHomes, namedEndpoints, false);
            if (!drafter.add(e.getKey(), e.getValue())) unexpressible++;
        }
        for (Drafts drafts : byComponent.values()) {
            for (DraftPass pass : passes(options, behaviors.keySet(), jdkHomes, roots, notes, namedEndpoints)) {
                pass.apply(drafts);
            }
        }
        Drafts drafts = ComponentScopes.combine(byComponent, notes, roots);
        if (unexpressible > 0) {
            notes.header.add(unexpressible + " behaviors not expressible as rules (JNDI names without a scheme, "
                    + "capabilities asked by code without a code source); they stay denied");
        }
        boolean attributed = byComponent.size() > 1 || !byComponent.containsKey(null);
        return build(profile, options, drafts, notes, roots, attributed && !byComponent.isEmpty());
    }

    /** The passes after drafting, in order: each collapse sees what the ones before it left. */
    static List<DraftPass> passes(
            Options options,
            Set<BehaviorKey> learned,
            SortedSet<String> jdkHomes,
            LearnedRoots roots,
            Notes notes,
            NamedEndpoints namedEndpoints) {
        int threshold = options.collapseThreshold();
        return List.of(
                new CollapseWrittenDirectories(
                        threshold, CollapseWrittenDirectories.codeDirectories(learned), jdkHomes),
                new CollapseProcessArguments(threshold),
                new CollapseJars(roots),
                new CollapseSiblings(threshold, roots),
                new CollapseDnsNames(threshold),
                new CollapsePackages(threshold),
                new RangeEphemeralPorts(),
                new LintGate(notes, roots, namedEndpoints));
    }

    private static Generated build(
            MergedProfile profile,
            Options options,
            Drafts drafts,
            Notes notes,
            LearnedRoots roots,
            boolean attributed) {
        Policy.Builder policy = Policy.builder(options.name()).mode(options.mode());
        for (Category c : Category.values()) policy.defaultAction(c, Action.DENY);
        Map<String, Draft> byId = RuleIds.assign(drafts.all());
        Map<String, List<String>> comments = new LinkedHashMap<>();
        Map<String, String> emitted = new HashMap<>();
        for (Map.Entry<String, Draft> e : byId.entrySet()) {
            Draft d = e.getValue();
            String invalid = d.invalidValue();
            if (invalid != null) {
                // Profiles come from application output, which an attacker can write to: never emit what would not
                // parse.
                notes.header.add("skipped a " + d.category.wireName()
                        + " behavior whose resource is not a valid pattern: " + invalid);
                continue;
            }
            Rule rule = d.toRule(e.getKey(), roots);
            // Two learned paths written from one root (each class path entry is ${app.classpath}) make one rule.
            String content = rule.category() + " " + rule.action() + " " + rule.operations() + " " + rule.selectors();
            String same = emitted.putIfAbsent(content, e.getKey());
            if (same != null) {
                comments.get(same).add("also " + e.getKey() + ": " + d.evidence.examples());
                continue;
            }
            policy.rule(rule);
            List<String> comment = new ArrayList<>(d.evidence.comment(d.generalized));
            if (attributed) comment.add(ComponentScopes.askedBy(d));
            if (d.flagged) {
                comment.add(
                        "REVIEW: a learned name holds '*' or '\\'; written escaped, it matches only that exact name");
                notes.warnings.add("learned " + d.category.wireName() + " name " + d.evidence.examples()
                        + " holds '*' or '\\': kept as the literal rule " + e.getKey()
                        + " (never a wildcard); review it");
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
        if (!notes.summaries.isEmpty()) {
            header.add("Directories the agent summarized for their many files (maxPerDirectory): "
                    + String.join(", ", notes.summaries.stream().limit(20).toList())
                    + (notes.summaries.size() > 20 ? " and " + (notes.summaries.size() - 20) + " more" : "") + ".");
        }
        header.addAll(notes.header);
        for (String w : notes.warnings) header.add("warning: " + w);
        return new Generated(policy.build(), comments, header, List.copyOf(notes.warnings));
    }
}
