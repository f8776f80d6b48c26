package dev.inlay.instrumenter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external tools (skopeo, podman) for end-to-end checks. */
final class Processes {
    record Result(int exitCode, String output) {}

    private Processes() {}

    static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static String ok(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Result r = run(timeoutSeconds, command);
        if (r.exitCode() != 0)
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exitCode() + "):\n" + r.output());
        return r.output();
    }
}
