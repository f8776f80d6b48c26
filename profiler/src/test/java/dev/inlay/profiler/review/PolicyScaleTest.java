package dev.inlay.profiler.review;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Policies of 100,000 rules are validated, linted and diffed in a JVM limited to a 512 MB heap. Comparing every pair
 * of rules took 16 s for lint at 10,000 rules, so hours at 100,000; the bound below only catches such a hang, it is no
 * speed target (figures: bench/policy-cli.sh, docs/BENCHMARKS.md "Policy command line at scale").
 */
class PolicyScaleTest {
    @Test
    void oneHundredThousandRulesAreValidatedLintedAndDiffedInA512MegabyteHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process run = new ProcessBuilder(
                        java.toString(),
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ScaleRun.class.getName(),
                        "100000")
                .redirectErrorStream(true)
                .start();
        boolean ended = run.waitFor(10, TimeUnit.MINUTES);
        if (!ended) run.destroyForcibly();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "still running after 10 minutes: " + output);
        assertEquals(0, run.exitValue(), output);
        List<String> lines = output.lines().toList();
        assertEquals(4, lines.size(), output);
        assertTrue(lines.get(0).startsWith("validate 200000 rules "), output);
        assertTrue(lines.get(1).matches("lint \\d{4,} findings \\d+ ms"), output);
        assertTrue(lines.get(2).matches("diff \\d{4,} changes \\d+ ms"), output);
        assertTrue(lines.get(3).matches("diff 200000 changes \\d+ ms"), "every rule added and removed: " + output);
    }
}
