package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectTest {
    @TempDir
    Path tmp;

    private Cli.Result inspect(byte[] extraLayer, Consumer<ObjectNode> runtimeConfig) throws IOException {
        List<byte[]> layers = extraLayer == null
                ? List.of(TestImages.jvmLayer("/usr/lib/jvm/temurin-21", "21.0.4"))
                : List.of(TestImages.jvmLayer("/usr/lib/jvm/temurin-21", "21.0.4"), extraLayer);
        Path dir = tmp.resolve("img" + System.nanoTime());
        TestImages.ociLayout(
                dir,
                "v1",
                layers,
                TestImages.config("amd64", layers, c -> runtimeConfig.accept((ObjectNode) c.path("config"))));
        return Cli.run("inspect", "oci:" + dir);
    }

    private static void command(ObjectNode c, List<String> entrypoint, List<String> cmd) {
        ArrayNode e = c.putArray("Entrypoint");
        entrypoint.forEach(e::add);
        ArrayNode k = c.putArray("Cmd");
        cmd.forEach(k::add);
    }

    @Test
    void reportsJvmsAndJavaJar() throws IOException {
        Cli.Result r = inspect(null, c -> {});
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("/usr/lib/jvm/temurin-21/bin/java  21.0.4"), r.out());
        assertTrue(r.out().contains("starts java: java -jar /app/app.jar"), r.out());
        assertTrue(r.out().contains("wrapped: no"), r.out());
        assertFalse(r.out().contains("WARNING"), r.out());
    }

    @Test
    void warnsAboutEnvMinusI() throws IOException {
        Cli.Result r =
                inspect(null, c -> command(c, List.of("/usr/bin/env", "-i", "java", "-jar", "/app.jar"), List.of()));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("WARNING: the entrypoint runs `env -i`"), r.out());
    }

    @Test
    void warnsAboutAScriptThatUnsetsJavaToolOptions() throws IOException {
        byte[] script = new TestImages.LayerBuilder()
                .file(
                        "docker-entrypoint.sh",
                        "#!/bin/sh\nunset JAVA_TOOL_OPTIONS\nexec java -jar /app.jar \"$@\"\n",
                        0755)
                .build();
        Cli.Result r = inspect(script, c -> command(c, List.of("/docker-entrypoint.sh"), List.of()));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("starts java: script /docker-entrypoint.sh (/bin/sh) that runs java"), r.out());
        assertTrue(r.out().contains("WARNING: the script /docker-entrypoint.sh unsets JAVA_TOOL_OPTIONS"), r.out());
    }

    @Test
    void warnsAboutANativeExecutable() throws IOException {
        byte[] app = new TestImages.LayerBuilder()
                .file("app/server", "\u007fELF native", 0755)
                .build();
        Cli.Result r = inspect(app, c -> command(c, List.of("/app/server"), List.of()));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("WARNING: the entrypoint /app/server is a native executable"), r.out());
    }

    @Test
    void resolvesJavaThroughSymlinksOnPath() throws IOException {
        Cli.Result r =
                inspect(null, c -> command(c, List.of(), List.of("java", "-cp", "/app/lib/*", "com.example.Main")));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("starts java: java (main class com.example.Main)"), r.out());
    }
}
