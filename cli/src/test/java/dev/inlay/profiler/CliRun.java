package dev.inlay.profiler;

import dev.inlay.cli.common.CommandLines;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a profiler command in-process, configured as the {@code inlay} root configures it, and captures its exit code and output. */
public record CliRun(int code, String out, String err) {
    public static CliRun run(Object command, String... args) {
        CommandLine cli = CommandLines.configure(new CommandLine(command));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
}
