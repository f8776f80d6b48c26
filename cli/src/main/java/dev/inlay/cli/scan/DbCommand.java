package dev.inlay.cli.scan;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inlay db}: the advisory databases {@code inlay scan} reads. */
@Command(
        name = "db",
        mixinStandardHelpOptions = true,
        description = "Fetch advisory databases in the OSV schema for 'inlay scan'.",
        subcommands = DbFetchCommand.class)
public final class DbCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is needed: fetch");
    }
}
