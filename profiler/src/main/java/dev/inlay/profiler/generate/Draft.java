package dev.inlay.profiler.generate;

import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Patterns;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;
import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.BehaviorStats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A rule being built: its category, operations, selector values and evidence. */
final class Draft {
    private static final Comparator<String> PORT_ORDER =
            Comparator.comparingInt(NetworkResource::portStart).thenComparing(Comparator.naturalOrder());

    final Category category;
    final EnumSet<Operation> operations = EnumSet.noneOf(Operation.class);
    final Map<Selector, TreeSet<String>> selectors = new EnumMap<>(Selector.class);
    final Evidence evidence = new Evidence();
    /** What the rule's id is made from ({@link RuleIds}). */
    final String slug;

    boolean generalized;
    /** A learned name held '*' or '\': written escaped, never generalized, never collapsed with others. */
    boolean flagged;
    /** The behaviors this rule was made from: what the lint gate falls back to (docs/PROFILER.md). */
    final List<Map.Entry<BehaviorKey, BehaviorStats>> members = new ArrayList<>();
    /** A process rule's argument patterns (empty: exactly no arguments, not any); null for other categories. */
    List<String> argPatterns;
    /**
     * The {@code components} the rule is for (version-less package URLs, jar paths, {@code app}); null for a rule for
     * everyone. Set when the drafts of each component are combined, after the passes ({@link PolicyGenerator}).
     */
    TreeSet<String> components;

    Draft(Category category, String slug) {
        this.category = category;
        this.slug = slug;
    }

    Draft add(
            BehaviorKey key,
            BehaviorStats stats,
            Operation op,
            Selector selector,
            String value,
            boolean generalizedValue) {
        operations.add(op);
        values(selector).add(value);
        evidence.add(key, stats);
        members.add(Map.entry(key, stats));
        generalized |= generalizedValue;
        return this;
    }

    TreeSet<String> values(Selector s) {
        return selectors.computeIfAbsent(
                s, k -> new TreeSet<>(k == Selector.PORTS ? PORT_ORDER : Comparator.naturalOrder()));
    }

    /** The selector's value where it has exactly one, else null. */
    String only(Selector s) {
        TreeSet<String> v = selectors.get(s);
        return v == null || v.size() != 1 ? null : v.first();
    }

    /** Takes in another draft's operations, values, evidence and members; the result is generalized. */
    void absorb(Draft other) {
        operations.addAll(other.operations);
        other.selectors.forEach((k, v) -> values(k).addAll(v));
        evidence.addAll(other.evidence);
        members.addAll(other.members);
        flagged |= other.flagged;
        generalized = true;
    }

    /**
     * Takes in the same rule drafted for another component: its evidence and members; it stays generalized if either
     * was.
     */
    void join(Draft other) {
        evidence.addAll(other.evidence);
        members.addAll(other.members);
        flagged |= other.flagged;
        generalized |= other.generalized;
    }

    /** Whether the draft is a single-selector rule a collapse may group: no arguments, nothing flagged. */
    boolean collapsible(Category c) {
        return category == c && argPatterns == null && selectors.size() == 1 && !flagged;
    }

    String content() {
        return category.wireName() + " " + operations + " " + selectors + (components == null ? "" : " " + components);
    }

    /** What the rule allows, whoever asked: drafts of several components with the same key are the same rule. */
    String permission() {
        return category.wireName() + " " + operations + " " + selectors + " " + argPatterns;
    }

    /** The rule of the draft; paths and executables at or under a root are written from it. */
    Rule toRule(String id, LearnedRoots roots) {
        Rule.Builder rule = Rule.builder(id, category).action(Action.ALLOW).operations(operations);
        selectors.forEach((s, values) -> {
            if (s != Selector.PATHS && s != Selector.EXECUTABLES) {
                rule.selector(s, new ArrayList<>(values));
                return;
            }
            TreeSet<String> written = new TreeSet<>();
            for (String v : values) written.add(roots.rootify(v));
            rule.selector(s, new ArrayList<>(written));
        });
        if (argPatterns != null) rule.selector(Selector.ARGS, argPatterns);
        if (components != null) rule.selector(Selector.COMPONENTS, new ArrayList<>(components));
        return rule.build();
    }

    /** The first value that is not a valid pattern for its selector, printable; null where all are valid. */
    String invalidValue() {
        for (Map.Entry<Selector, ? extends Collection<String>> e : selectors.entrySet()) {
            for (String v : e.getValue()) {
                if (Patterns.check(e.getKey(), v) != null) return printable(v);
            }
        }
        if (components != null) {
            for (String v : components) {
                if (Patterns.check(Selector.COMPONENTS, v) != null) return "component " + printable(v);
            }
        }
        return null;
    }

    private static String printable(String v) {
        StringBuilder b = new StringBuilder();
        v.codePoints()
                .limit(120)
                .forEach(c ->
                        b.append(Character.isISOControl(c) || !Character.isDefined(c) ? "?" : Character.toString(c)));
        return b.toString();
    }
}
