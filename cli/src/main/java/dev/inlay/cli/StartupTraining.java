package dev.inlay.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the commands whose classes the CLI's class data sharing archive holds (docs/CLI.md "Start-up"): the build runs
 * it once under {@code -XX:ArchiveClassesAtExit}, in one JVM, so that the archive has the classes of the help, of
 * every command's model and of parsing a policy. Not a command: nothing a user runs.
 */
public final class StartupTraining {
    private StartupTraining() {}

    /** {@code args[0]}: the file that records which JDK made the archive (its {@code java.home}), for bin/inlay. */
    public static void main(String[] args) throws IOException {
        Path policy = Files.createTempFile("inlay-training", ".yaml");
        try {
            Files.writeString(
                    policy,
                    "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata:\n  name: training\nspec:\n  mode: enforce\n"
                            + "  files:\n    - id: app\n      operations: [read]\n      paths: [\"/app/**\"]\n");
            run("--version");
            run("--help");
            for (String name : Inlay.subcommandNames()) {
                run(name, "--help");
            }
            run("policy", "validate", policy.toString());
            run("policy", "lint", policy.toString());
        } finally {
            Files.deleteIfExists(policy);
        }
        if (args.length == 1) {
            Files.writeString(
                    Path.of(args[0]),
                    Path.of(System.getProperty("java.home")).toRealPath() + "\n",
                    StandardCharsets.UTF_8);
        }
    }

    private static void run(String... args) {
        CommandLine cli = Inlay.commandLine(args);
        StringWriter sink = new StringWriter();
        cli.setOut(new PrintWriter(sink));
        cli.setErr(new PrintWriter(sink));
        cli.execute(args);
    }
}
