package dev.inlay.examples.docservice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Checksums by the system's {@code sha256sum}, as the compliance team's tooling expects the same digests. */
final class Checksums {
    private final String sha256sum;

    Checksums(String sha256sum) {
        this.sha256sum = sha256sum;
    }

    String sha256(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(sha256sum, file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(sha256sum + " failed: " + out.strip());
        }
        return out.substring(0, Math.min(64, out.indexOf(' ') < 0 ? out.length() : out.indexOf(' ')));
    }
}
