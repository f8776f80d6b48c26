package dev.inlay.cli.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.scanner.inventory.ImageInventory;
import dev.inlay.scanner.inventory.LayerScanner;
import dev.inlay.scanner.sbom.SbomWriter;
import dev.inlay.scanner.vuln.Fixtures;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real docservice jar (log4j-core, log4j-api, commons-collections and H2 shaded in) under the real agent: it
 * serves a request and stops on SIGTERM; the SBOM of a layer holding that jar at the path it ran from, scanned with the
 * run's output, says log4j-core's code was loaded and commons-collections' was not.
 */
class ScanRuntimeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theDocservicesRunLoadsLog4jCoreButNotCommonsCollections(@TempDir Path dir) throws Exception {
        Path agent = built("runtime-layer/target/inlay-agent.jar");
        Path jar = Files.createDirectories(dir.resolve("app")).resolve("docservice.jar");
        Files.copy(built("examples/target/docservice.jar"), jar);

        // The SBOM as inlay sbom writes it for an image whose layer holds the jar at this path.
        LayerScanner layer = new LayerScanner();
        try (InputStream in = Files.newInputStream(jar)) {
            layer.file(jar.toString(), Files.size(jar), in);
        }
        String diffId = "sha256:" + "0".repeat(64);
        ImageInventory inventory = ImageInventory.of(List.of(diffId), List.of(layer.finish()));
        Path sbom = Files.write(dir.resolve("sbom.json"), SbomWriter.json(SbomWriter.bom(inventory, diffId, "test")));

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve("run.log");
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent,
                "-jar",
                jar.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment()
                .put("DATA_DIR", Files.createDirectories(dir.resolve("data")).toString());
        pb.environment().put("UPSTREAM_URL", "http://127.0.0.1:1");
        pb.redirectOutput(out.toFile()).redirectError(dir.resolve("run.err").toFile());
        Process p = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String body = null;
            for (int i = 0; i < 240 && body == null; i++) {
                try {
                    body = http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/docs/list"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                } catch (java.io.IOException notYet) {
                    assertTrue(p.isAlive(), () -> "docservice exited: " + read(dir.resolve("run.err")));
                    Thread.sleep(250);
                }
            }
            assertTrue(body != null, "docservice did not answer");
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook writes the final loaded lines
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "docservice did not stop after SIGTERM");
        }
        assertTrue(read(out).contains("\"inlay\":\"loaded\""), read(out));

        TestCli.Run r = TestCli.run(
                new ScanCommand(),
                sbom.toString(),
                "--db",
                Fixtures.osvDirectory().toString(),
                "--runtime",
                out.toString(),
                "--json");
        assertEquals(0, r.exit(), r.err());
        Map<String, String> loaded = new LinkedHashMap<>();
        for (JsonNode f : JSON.readTree(r.out()).path("findings"))
            loaded.put(f.path("id").asText(), f.path("loaded").asText());
        assertEquals(
                Map.of(
                        "CVE-2021-44228", "true",
                        "CVE-2021-45046", "true",
                        "CVE-2021-44832", "true",
                        "CVE-2021-45105", "true",
                        "CVE-2015-7501", "false"),
                loaded,
                r.out());
        assertEquals("CVE-2015-7501", List.copyOf(loaded.keySet()).get(4), "the loaded findings come first");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static Path built(String relative) {
        Path p = Path.of("..").resolve(relative).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            String what = "missing build output: " + p + " (build runtime-layer and examples first)";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(what);
            org.junit.jupiter.api.Assumptions.abort(what);
        }
        return p;
    }
}
