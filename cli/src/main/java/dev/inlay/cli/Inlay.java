package dev.inlay.cli;

import dev.inlay.cli.common.CommandLines;
import dev.inlay.cli.common.ExitCode;
import dev.inlay.cli.deploy.AdmissionCommand;
import dev.inlay.cli.deploy.DeployCommand;
import dev.inlay.cli.image.CacheCommand;
import dev.inlay.cli.image.ImageScanCommand;
import dev.inlay.cli.image.InspectCommand;
import dev.inlay.cli.image.RegistryCommand;
import dev.inlay.cli.image.SbomCommand;
import dev.inlay.cli.image.UnwrapCommand;
import dev.inlay.cli.image.WrapCommand;
import dev.inlay.cli.profiler.EventsCommand;
import dev.inlay.cli.profiler.PolicyCommand;
import dev.inlay.cli.profiler.ProfileCommand;
import dev.inlay.cli.scan.DbCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code inlay} command: wrap images, merge profiles, generate and review policies, rewrite deployments, inventory and
 * scan images and registries, admit images at deploy time.
 */
@Command(
        name = "inlay",
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
            AdmissionCommand.class,
            EventsCommand.class,
            ImageScanCommand.class,
            DbCommand.class,
            RegistryCommand.class,
            CacheCommand.class,
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
