package dev.inlay.runtime;

import dev.inlay.bootstrap.Inlay;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bridge is defined from a fixed list of class names: it must be the whole bridge package. */
class BootBridgeTest {
    @Test
    void theListIsTheWholeBridgePackage() throws IOException, URISyntaxException {
        Path classes = Path.of(Inlay.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve(BootBridge.PACKAGE_PATH);
        List<String> compiled;
        try (Stream<Path> files = Files.list(classes)) {
            compiled = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .sorted()
                    .toList();
        }
        assertEquals(compiled, BootBridge.CLASSES.stream().sorted().toList());
    }
}
