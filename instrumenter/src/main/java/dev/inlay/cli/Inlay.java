package dev.inlay.cli;

import dev.inlay.cli.common.CommandLines;
import dev.inlay.cli.common.ExitCode;
import dev.inlay.deploy.DeployCommand;
import dev.inlay.instrumenter.cli.InspectCommand;
import dev.inlay.instrumenter.cli.SbomCommand;
import dev.inlay.instrumenter.cli.UnwrapCommand;
import dev.inlay.instrumenter.cli.WrapCommand;
import dev.inlay.profiler.cli.EventsCommand;
import dev.inlay.profiler.cli.PolicyCommand;
import dev.inlay.profiler.cli.ProfileCommand;
import dev.inlay.scanner.cli.DbCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code inlay} command: wrap images, merge profiles, generate and review policies, rewrite deployments, scan
 * SBOMs against advisories.
 */
@Command(name = "inlay",
        mixinStandardHelpOptions = true,
        versionProvider = InlayVersion.class,
        description = "Least privilege for every JVM container, learned automatically and enforced from inside.",
        subcommands = {
                WrapCommand.class,
                UnwrapCommand.class,
                InspectCommand.class,
                SbomCommand.class,
                ProfileCommand.class,
                PolicyCommand.class,
                DeployCommand.class,
                dev.inlay.deploy.admission.AdmissionCommand.class,
                dev.inlay.instrumenter.cli.RegistryCommand.class,
                EventsCommand.class,
                dev.inlay.instrumenter.cli.ImageScanCommand.class,
                DbCommand.class,
                CompletionCommand.class,
                CommandLine.HelpCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n")
public final class Inlay {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; used by tests to run the CLI in-process. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line: exit codes, error handling and help as docs/CLI.md describes them. */
    public static CommandLine commandLine() {
        CommandLine cli = CommandLines.configure(new CommandLine(new Inlay()));
        cli.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList());
        return cli;
    }
}
