package dev.inlay.instrumenter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * A test class with a {@link TestRegistry} of its own, started once for the class (by its {@code @BeforeAll}, through
 * {@link #startOpenRegistry} or {@link #use}) in {@link #registryDir} and stopped after its last test.
 */
abstract class WithTestRegistry {
    @TempDir
    static Path registryDir;

    @TempDir
    Path tmp;

    static TestRegistry registry;
    /** The registry's {@code 127.0.0.1:port}. */
    static String host;

    /** Starts a registry without authentication; skopeo is required to fill and read it. */
    static void startOpenRegistry(boolean accessLog) throws Exception {
        Cli.requireTool(Cli.onPath("skopeo"), "skopeo");
        use(TestRegistry.start(registryDir, "", accessLog, 200));
    }

    /** The class's registry, started by the class itself (with authentication, say). */
    static void use(TestRegistry started) {
        registry = started;
        host = started.host;
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) registry.close();
        registry = null;
        host = null;
    }
}
