package dev.inlay.profiler.generate;

import dev.inlay.model.Component;
import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.BehaviorStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which code a generated rule is for (docs/PROFILER.md, "Components"). The drafts of each component (by its package URL
 * without version, its jar path, or {@code app}) and of the JVM itself (behaviors without a component) are made and
 * generalized apart; a rule drafted the same for several of them becomes one rule, which is written
 *
 * <ul>
 *   <li>for everyone (no {@code components}) when the JVM itself needed it, or when every component of the profile
 *       needed it and the profile has at least two;
 *   <li>else with {@code components} listing those that needed it: a component that never did it never may.
 * </ul>
 *
 * A profile without any component (recorded without attribution) generates exactly what it did before components.
 */
final class ComponentScopes {
    private static final int NAMED = 5;

    private ComponentScopes() {}

    /**
     * @param byComponent drafts by version-less component id, null for the JVM itself; in a stable order
     * @param roots       where a component named by its jar's path is written from a root, so that the policy holds
     *                    where the application lives elsewhere
     */
    static Drafts combine(Map<String, Drafts> byComponent, Notes notes, LearnedRoots roots) {
        if (byComponent.isEmpty() || (byComponent.size() == 1 && byComponent.containsKey(null))) {
            return byComponent.isEmpty() ? new Drafts() : byComponent.get(null);
        }
        TreeSet<String> all = new TreeSet<>();
        for (String c : byComponent.keySet()) if (c != null) all.add(c);
        Map<String, Draft> rules = new LinkedHashMap<>();
        Map<String, TreeSet<String>> neededBy = new LinkedHashMap<>();
        Map<String, Boolean> neededByJvm = new LinkedHashMap<>();
        for (Map.Entry<String, Drafts> e : byComponent.entrySet()) {
            for (Draft d : e.getValue().all()) {
                String permission = d.permission();
                Draft same = rules.putIfAbsent(permission, d);
                if (same != null) same.join(d);
                neededBy.computeIfAbsent(permission, k -> new TreeSet<>());
                if (e.getKey() == null) neededByJvm.put(permission, true);
                else neededBy.get(permission).add(e.getKey());
            }
        }
        Drafts out = new Drafts();
        for (Map.Entry<String, Draft> e : rules.entrySet()) {
            Draft d = e.getValue();
            TreeSet<String> who = neededBy.get(e.getKey());
            boolean everyone = neededByJvm.containsKey(e.getKey()) || (all.size() >= 2 && who.containsAll(all));
            if (!everyone) {
                d.components = new TreeSet<>();
                for (String c : who) d.components.add(roots.rootifyComponent(c));
            }
            out.putKey(Drafts.key(d.category, e.getKey()), d);
        }
        notes.header.add("Rules with 'components' apply only to operations of that code; rules without apply to all "
                + "(docs/PROFILER.md, \"Components\"). " + all.size() + (all.size() == 1 ? " component" : " components")
                + " seen: " + named(new ArrayList<>(all)) + ".");
        return out;
    }

    /** The comment line naming who asked for a rule's behaviors, with versions: {@code asked by log4j-core 2.14.1}. */
    static String askedBy(Draft d) {
        TreeSet<String> who = new TreeSet<>();
        boolean jvm = false;
        for (Map.Entry<BehaviorKey, BehaviorStats> m : d.members) {
            String id = m.getKey().component();
            if (id == null) jvm = true;
            else who.add(new Component(id, null).toString());
        }
        List<String> names = new ArrayList<>();
        if (jvm) names.add("the JVM itself");
        names.addAll(who);
        return "asked by " + named(names);
    }

    private static String named(List<String> names) {
        if (names.size() <= NAMED) return String.join(", ", names);
        return String.join(", ", names.subList(0, NAMED)) + " and " + (names.size() - NAMED) + " more";
    }
}
