package dev.inlay.profiler.review;

import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyParser;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For {@link PolicyScaleTest}, in a JVM of its own with the heap it is given: writes the {@link ScalePolicies} of N
 * rules, then validates, lints and diffs them, printing one line per step ({@code lint 9070 findings 1234 ms}).
 */
public final class ScaleRun {
    private ScaleRun() {
    }

    public static void main(String[] args) throws Exception {
        int rules = Integer.parseInt(args[0]);
        Path dir = Files.createTempDirectory("inlay-scale");
        ScalePolicies.write(rules, dir);
        long t = System.nanoTime();
        Policy a = PolicyParser.parse(dir.resolve("a.yaml"));
        Policy b = PolicyParser.parse(dir.resolve("b.yaml"));
        t = step("validate " + (a.rules().size() + b.rules().size()) + " rules", t);
        t = step("lint " + PolicyLinter.lint(a).size() + " findings", t);
        step("diff " + PolicyDiff.diff(a, b).changes().size() + " changes", t);
        Files.delete(dir.resolve("a.yaml"));
        Files.delete(dir.resolve("b.yaml"));
        Files.delete(dir);
    }

    private static long step(String what, long since) {
        long now = System.nanoTime();
        System.out.println(what + " " + (now - since) / 1_000_000 + " ms");
        return now;
    }
}
