package dev.inlay.cli.scan;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Runs a scanner command as the {@code inlay} root does (dev.inlay.cli.common.CommandLines lives in the profiler,
 * which this module does not depend on): bad input (IllegalArgumentException) 3, I/O 4, usage 2, a bug 70.
 * The instrumenter's ScanCommandsIT runs the same commands through the real root.
 */
final class TestCli {
    record Run(int exit, String out, String err) {}

    private TestCli() {}

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, cmd, parse) -> {
            cmd.getErr().println("inlay: " + ex.getMessage());
            if (ex instanceof IllegalArgumentException) return 3;
            if (ex instanceof IOException || ex instanceof UncheckedIOException) return 4;
            ex.printStackTrace(cmd.getErr());
            return 70;
        });
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
