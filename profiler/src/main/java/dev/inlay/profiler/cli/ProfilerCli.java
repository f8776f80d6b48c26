package dev.inlay.profiler.cli;

import dev.inlay.cli.common.CommandLines;
import picocli.CommandLine;

/**
 * Runs the profiler's commands on their own, with the exit codes and one-line errors of the {@code inlay} root
 * (docs/CLI.md); used by tests and by anything embedding the commands without the root.
 */
public final class ProfilerCli {
    private ProfilerCli() {
    }

    public static CommandLine commandLine(Object command) {
        return CommandLines.configure(new CommandLine(command));
    }
}
