package dev.inlay.profiler.cli;

import dev.inlay.policy.PolicyException;
import picocli.CommandLine;

import java.io.IOException;

/**
 * Runs the profiler's commands on their own, with the exit codes and one-line errors of the {@code inlay} root
 * (docs/CLI.md); used by tests and by anything embedding the commands without the root.
 */
public final class ProfilerCli {
    private ProfilerCli() {
    }

    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            int code = exitCode(ex);
            if (code == 70) {
                cmd.getErr().println("inlay: internal error: " + ex);
                ex.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("inlay: " + ex.getMessage());
            }
            return code;
        });
        return cli;
    }

    static int exitCode(Throwable t) {
        if (t instanceof PolicyException || t instanceof IllegalArgumentException) return 3;
        if (t instanceof IOException) return 4;
        return 70;
    }
}
