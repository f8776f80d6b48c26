package dev.inlay.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/** The sample deployment documents under src/test/resources/deploy/. */
final class Samples {
    private Samples() {}

    static String text(String name) {
        try (InputStream in = Objects.requireNonNull(Samples.class.getResourceAsStream("/deploy/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String name) {
        try {
            return Path.of(Objects.requireNonNull(Samples.class.getResource("/deploy/" + name), name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
