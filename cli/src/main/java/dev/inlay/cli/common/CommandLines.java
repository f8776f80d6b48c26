package dev.inlay.cli.common;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Sets up a picocli command line the way every inlay command behaves: the exit codes of {@link ExitCode}, errors as one
 * line {@code inlay: problem} (a stack trace only for a bug), usage errors as the problem, suggestions for a mistyped
 * command or option, and the usage line instead of the whole help.
 */
public final class CommandLines {
    private CommandLines() {}

    public static CommandLine configure(CommandLine cli) {
        cli.setExecutionExceptionHandler(CommandLines::executionFailed);
        cli.setParameterExceptionHandler(CommandLines::usageError);
        cli.setExitCodeExceptionMapper(ExitCode::forException);
        cli.setUsageHelpAutoWidth(true);
        return cli;
    }

    static int executionFailed(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        ExitCode code = ExitCode.of(ex);
        PrintWriter err = cmd.getErr();
        if (code == ExitCode.INTERNAL) {
            err.println("inlay: internal error: " + ex);
            ex.printStackTrace(err);
        } else {
            err.println("inlay: " + ErrorMessages.describe(ex));
        }
        err.flush();
        return code.code();
    }

    /** picocli's message, except for a mistyped command: "Unmatched arguments from index 0: 'wrpa', 'x'" says little. */
    private static String problem(CommandLine.ParameterException ex, CommandLine cmd) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u
                && !cmd.getSubcommands().isEmpty()
                && cmd.getCommandSpec().positionalParameters().isEmpty()
                && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        return ex.getMessage();
    }

    static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("inlay: " + problem(ex, cmd));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        // Abbreviated ("[OPTIONS]"): wrap's full synopsis alone is seven lines; --help has the rest.
        CommandLine.Help help = cmd.getHelp();
        err.print(help.synopsisHeading() + help.abbreviatedSynopsis());
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE.code();
    }
}
