package dev.inlay.cli;

import dev.inlay.deploy.DeployCommand;
import dev.inlay.instrumenter.cli.InspectCommand;
import dev.inlay.instrumenter.cli.UnwrapCommand;
import dev.inlay.instrumenter.cli.WrapCommand;
import dev.inlay.profiler.cli.EventsCommand;
import dev.inlay.profiler.cli.PolicyCommand;
import dev.inlay.profiler.cli.ProfileCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code inlay} command: wrap images, merge profiles, generate and review policies, rewrite deployments. */
@Command(name = "inlay",
        mixinStandardHelpOptions = true,
        versionProvider = InlayVersion.class,
        description = "Least privilege for every JVM container, learned automatically and enforced from inside.",
        subcommands = {
                WrapCommand.class,
                UnwrapCommand.class,
                InspectCommand.class,
                ProfileCommand.class,
                PolicyCommand.class,
                DeployCommand.class,
                EventsCommand.class,
                CommandLine.HelpCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                ExitCodes.OK_TEXT,
                ExitCodes.FINDINGS_TEXT,
                ExitCodes.USAGE_TEXT,
                ExitCodes.INPUT_TEXT,
                ExitCodes.IO_TEXT,
                ExitCodes.INTERNAL_TEXT,
        })
public final class Inlay {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; used by tests to run the CLI in-process. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Inlay());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setExitCodeExceptionMapper(ExitCodes::forException);
        return cli.execute(args);
    }
}
