package dev.inlay.profiler.review;

import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import dev.inlay.policy.Mode;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lint and diff ask {@link RuleIndex} for candidates instead of comparing every pair of rules: on random policies
 * drawn from small vocabularies (so that rules cover, shadow and overlap each other often) they must say exactly what
 * comparing every pair says.
 */
class RuleIndexTest {
    private static final String[] PATHS = {
        "/a",
        "/a/b",
        "/a/b/c",
        "/a/*",
        "/a/**",
        "/a/b/**",
        "/**",
        "/x/y",
        "/a/*/c",
        "/*/b",
        "/a/b*",
        "/x/**",
        "/a/b/c.jar",
        "/a/b/*.jar",
        "/"
    };
    private static final String[] HOSTS = {
        "db.internal", "*.internal", "a.b.internal", "*.b.internal", "x.com", "*.com", "10.0.0.5"
    };
    private static final String[] CIDRS = {"10.0.0.5", "10.0.0.0/8", "10.1.0.0/16", "0.0.0.0/0", "::1", "10.0.0.5/32"};
    private static final String[] PORTS = {"443", "8000-8100", "1-65535", "8080", "8050"};
    private static final String[] CLASSES = {
        "java.util.HashMap", "java.util.*", "java.**", "com.x.Y", "com.**", "com.x.*", "java.util.HashMap$Node"
    };
    private static final String[] EXECUTABLES = {"/bin/sh", "/usr/bin/*", "/usr/**", "/usr/bin/git"};
    private static final String[] ARGS = {"-c", "*", "**", "status"};

    private static List<String> some(Random random, String[] vocabulary) {
        List<String> out = new ArrayList<>();
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            String v = vocabulary[random.nextInt(vocabulary.length)];
            if (!out.contains(v)) out.add(v);
        }
        return out;
    }

    private static Rule rule(Random random, String id) {
        Category[] categories = {
            Category.FILE,
            Category.NETWORK,
            Category.DNS,
            Category.PROCESS,
            Category.DESERIALIZATION,
            Category.JNDI,
            Category.CLASS_DEFINITION
        };
        Category c = categories[random.nextInt(categories.length)];
        Rule.Builder r = Rule.builder(id, c).action(Action.values()[random.nextInt(Action.values().length)]);
        List<Operation> ops = new ArrayList<>(c.operations());
        Set<Operation> chosen = EnumSet.noneOf(Operation.class);
        for (Operation op : ops) if (random.nextInt(3) > 0) chosen.add(op);
        if (!chosen.isEmpty()) r.operations(chosen);
        for (Selector s : c.selectors()) {
            if (random.nextInt(3) == 0 && !(s == Selector.PATHS)) continue;
            switch (s) {
                case PATHS -> r.selector(s, some(random, PATHS));
                case HOSTS, NAMES -> r.selector(s, some(random, HOSTS));
                case CIDRS -> r.selector(s, some(random, CIDRS));
                case PORTS -> r.selector(s, some(random, PORTS));
                case PROTOCOLS -> r.selector(s, some(random, new String[] {"tcp", "udp"}));
                case CLASSES, LOADERS -> r.selector(s, some(random, CLASSES));
                case EXECUTABLES -> r.selector(s, some(random, EXECUTABLES));
                case ARGS -> r.selector(s, random.nextBoolean() ? List.of() : some(random, ARGS));
                case SCHEMES -> r.selector(s, some(random, new String[] {"ldap", "rmi", "java"}));
                default -> {}
            }
        }
        return r.build();
    }

    private static Policy policy(Random random, int rules, String prefix) {
        Policy.Builder p = Policy.builder("p").mode(Mode.values()[random.nextInt(3)]);
        for (Category c : Category.values())
            p.defaultAction(c, Action.values()[random.nextInt(Action.values().length)]);
        for (int i = 0; i < rules; i++) p.rule(rule(random, prefix + random.nextInt(rules * 2) + "-" + i % 7));
        return dedupe(p);
    }

    /** A builder with p's name, mode, failOpen and defaults, and no rules (toBuilder keeps the rules). */
    static Policy.Builder withoutRules(Policy p) {
        Policy.Builder out = Policy.builder(p.name()).mode(p.mode()).failOpen(p.failOpen());
        for (Category c : Category.values()) out.defaultAction(c, p.defaultAction(c));
        return out;
    }

    private static Policy dedupe(Policy.Builder p) {
        Policy built = p.build();
        Policy.Builder out = withoutRules(built);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Rule r : built.rules()) if (ids.add(r.id())) out.rule(r);
        return out.build();
    }

    /** Lint's shadow check as it was: every other rule of the category, in document order. */
    private static List<String> shadowedByEveryPair(Policy policy) {
        List<String> out = new ArrayList<>();
        List<Rule> rules = policy.rules();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            for (int j = 0; j < rules.size(); j++) {
                Rule s = rules.get(j);
                if (i == j || s.category() != r.category()) continue;
                int severity = s.action().compareTo(r.action());
                if ((severity > 0 || (severity == 0 && j < i)) && Coverage.covers(s, r)) {
                    out.add(r.id() + " by " + s.id());
                    break;
                }
            }
        }
        return out;
    }

    @Test
    void lintFindsTheSameShadowedRulesAsComparingEveryPair() {
        Random random = new Random(17);
        int findings = 0;
        for (int round = 0; round < 150; round++) {
            Policy p = policy(random, 5 + random.nextInt(40), "r");
            List<String> indexed = new ArrayList<>();
            for (PolicyLinter.Finding f : PolicyLinter.lint(p)) {
                if (f.kind() != PolicyLinter.Kind.SHADOWED) continue;
                String by = f.message().replaceAll("^(never decides|redundant): ([^ ]+) .*$", "$2");
                indexed.add(f.ruleId() + " by " + by);
            }
            assertEquals(shadowedByEveryPair(p), indexed, "round " + round + ": " + p.rules());
            findings += indexed.size();
        }
        assertTrue(findings > 500, "the vocabularies make rules shadow each other often: " + findings);
    }

    @Test
    void diffSaysWhatComparingEveryPairSays() {
        Random random = new Random(25);
        int widenings = 0;
        for (int round = 0; round < 150; round++) {
            Policy a = policy(random, 5 + random.nextInt(30), "r");
            Policy.Builder mutated = withoutRules(a);
            for (Rule r : a.rules()) {
                int dice = random.nextInt(10);
                if (dice == 0) continue; // removed
                mutated.rule(dice == 1 ? rule(random, r.id()) : r); // changed in place, or kept
                if (dice == 2) mutated.rule(rule(random, r.id() + "-added"));
            }
            Policy b = random.nextInt(4) == 0 ? policy(random, 5 + random.nextInt(30), "r") : dedupe(mutated);
            List<String> indexed = new ArrayList<>();
            for (PolicyDiff.Change c : PolicyDiff.diff(a, b).changes()) indexed.add(c.describe());
            List<String> everyPair = new ArrayList<>();
            for (QuadraticPolicyDiff.Change c : QuadraticPolicyDiff.diff(a, b).changes()) everyPair.add(c.describe());
            assertEquals(everyPair, indexed, "round " + round);
            for (String line : indexed) if (line.startsWith("+ ")) widenings++;
        }
        assertTrue(widenings > 150, "widenings and non-widenings both occur: " + widenings);
    }
}
