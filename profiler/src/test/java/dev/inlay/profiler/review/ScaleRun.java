package dev.inlay.profiler.review;

import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyParser;
import dev.inlay.policy.Rule;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For {@link PolicyScaleTest}, in a JVM of its own with the heap it is given: writes the {@link ScalePolicies} of N
 * rules, then validates, lints and diffs them (a with b, and a with its rules under other ids), printing one line per
 * step ({@code lint 9070 findings 1234 ms}).
 */
public final class ScaleRun {
    private ScaleRun() {}

    public static void main(String[] args) throws Exception {
        int rules = Integer.parseInt(args[0]);
        Path dir = Files.createTempDirectory("inlay-scale");
        ScalePolicies.write(rules, dir);
        long t = System.nanoTime();
        Policy a = PolicyParser.parse(dir.resolve("a.yaml"));
        Policy b = PolicyParser.parse(dir.resolve("b.yaml"));
        t = step("validate " + (a.rules().size() + b.rules().size()) + " rules", t);
        // c.yaml is a under other ids; renamed here rather than parsed a third time
        Policy.Builder renamed = RuleIndexTest.withoutRules(a);
        for (Rule r : a.rules()) {
            renamed.rule(rename(r));
        }
        Policy c = renamed.build();
        t = step("lint " + PolicyLinter.lint(a).size() + " findings", t);
        t = step("diff " + PolicyDiff.diff(a, b).changes().size() + " changes", t);
        step("diff " + PolicyDiff.diff(a, c).changes().size() + " changes", t);
        for (String name : new String[] {"a.yaml", "b.yaml", "c.yaml"}) Files.delete(dir.resolve(name));
        Files.delete(dir);
    }

    private static Rule rename(Rule r) {
        return Rule.builder("again-" + r.id(), r.category())
                .action(r.action())
                .operations(r.operations())
                .selectors(r.selectors())
                .build();
    }

    private static long step(String what, long since) {
        long now = System.nanoTime();
        System.out.println(what + " " + (now - since) / 1_000_000 + " ms");
        return now;
    }
}
