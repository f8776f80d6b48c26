package dev.inlay.deploy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** The deploy module's sample documents (deploy/src/test/resources/deploy/, test resources of cli too), as files. */
final class DeploySamples {
    private DeploySamples() {}

    static Path path(String name) {
        try {
            return Path.of(Objects.requireNonNull(DeploySamples.class.getResource("/deploy/" + name), name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
