package dev.inlay.instrumenter;

import dev.inlay.cli.Inlay;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the inlay CLI in-process and captures its output; and the CI rule for missing tools. */
public final class Cli {
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Cli() {}

    public static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Inlay.run(args);
            System.out.flush();
            System.err.flush();
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** A test that needs a tool skips without it on a developer machine and fails in CI (CI=true). */
    public static void requireTool(boolean present, String what) {
        if (present) return;
        if ("true".equals(System.getenv("CI"))) Assertions.fail("missing tool: " + what);
        Assumptions.abort("missing tool: " + what);
    }

    /** A minimal valid policy file, for monitor and enforce wraps whose tests are not about the policy. */
    public static String policyFile(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path p = dir.resolve("minimal-policy.yaml");
        java.nio.file.Files.writeString(
                p, "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: minimal}\nspec:\n  mode: monitor\n");
        return p.toString();
    }

    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) return true;
        }
        return false;
    }
}
