package dev.inlay.cli;

import picocli.CommandLine;

/** Prints a one-line error instead of a stack trace for expected failures; bugs keep their trace. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        int code = ExitCodes.forException(ex);
        if (code == ExitCodes.INTERNAL) {
            cmd.getErr().println("inlay: internal error: " + ex);
            ex.printStackTrace(cmd.getErr());
        } else {
            cmd.getErr().println("inlay: " + ex.getMessage());
        }
        return code;
    }
}
