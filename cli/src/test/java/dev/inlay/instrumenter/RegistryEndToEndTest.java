package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against a real registry (docker-registry on 127.0.0.1, random port), read back with skopeo. */
class RegistryEndToEndTest extends WithTestRegistry {
    @BeforeAll
    static void startRegistry() throws Exception {
        startOpenRegistry(false);
    }

    /** The digests of every blob in the registry's storage (it stores manifests as blobs too). */
    private static java.util.Set<String> storedBlobs() throws IOException {
        Path blobs = registryDir.resolve("data/docker/registry/v2/blobs/sha256");
        if (!Files.isDirectory(blobs)) return java.util.Set.of();
        try (Stream<Path> s = Files.walk(blobs)) {
            return s.filter(p -> p.getFileName().toString().equals("data"))
                    .map(p -> "sha256:" + p.getParent().getFileName())
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    private List<byte[]> layers() throws IOException {
        return List.of(
                TestImages.jvmLayer("/opt/jdk", "17.0.12"),
                new TestImages.LayerBuilder()
                        .file("app/app.jar", "x".repeat(100_000), 0644)
                        .file("usr/bin/tool", "t", 0755)
                        .build());
    }

    private String pushBase(String repo) throws Exception {
        Path layout = tmp.resolve("base");
        List<byte[]> layers = layers();
        TestImages.ociLayout(layout, "v1", layers, TestImages.config("amd64", layers, null));
        Processes.ok(
                60,
                "skopeo",
                "copy",
                "-q",
                "--dest-tls-verify=false",
                "oci:" + layout + ":v1",
                "docker://" + host + "/" + repo);
        return rawDigest(repo);
    }

    private static String rawDigest(String repo) throws Exception {
        String raw =
                Processes.ok(60, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + host + "/" + repo);
        return Digests.of(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Nothing typed on the command line goes into the inlay layer: the same image wrapped from a relative and an
     * absolute OCI directory and from the registry (mode and policy the same) has one wrapped digest, wherever it goes.
     */
    @Test
    void theSameImageWrapsToTheSameDigestHoweverItsSourceIsSpelled() throws Exception {
        pushBase("base/app:spelled");
        Path layout = tmp.resolve("base");
        String policy = Cli.policyFile(tmp);
        List<String> sources = List.of(
                "oci:" + layout + ":v1",
                "oci:" + Path.of("").toAbsolutePath().relativize(layout) + ":v1",
                "registry://" + host + "/base/app:spelled",
                host + "/base/app:spelled");
        java.util.Set<String> digests = new java.util.LinkedHashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            String target = i % 2 == 0 ? "oci:" + tmp.resolve("out" + i) + ":w" : host + "/spelled/app:" + i;
            Cli.Result r = Cli.run("wrap", sources.get(i), target, "--mode", "monitor", "--policy", policy, "-q");
            assertEquals(0, r.exitCode(), r.toString());
            digests.add(r.out().trim());
        }
        assertEquals(1, digests.size(), "one wrapped digest for " + sources + ": " + digests);
    }

    @Test
    void sameRegistryWrapMovesNoBaseLayerBytesAndUnwrapIsDigestIdentical() throws Exception {
        String original = pushBase("base/app:1");
        java.util.Set<String> before = storedBlobs();
        Cli.Result r = Cli.run(
                "wrap",
                "registry://" + host + "/base/app:1",
                host + "/wrapped/app:1",
                "--mode",
                "learn",
                "--no-baseline");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("downloaded 0 bytes"), r.err());
        assertTrue(r.err().contains("mounted or hard-linked 2 "), r.err());
        // the inlay layer, the new config and the new manifest are the only new blobs in the registry's storage
        JsonNode manifest = Json.MAPPER.readTree(Processes.ok(
                60, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + host + "/wrapped/app:1"));
        java.util.Set<String> added = new java.util.HashSet<>(storedBlobs());
        added.removeAll(before);
        assertEquals(
                java.util.Set.of(
                        r.out().trim(),
                        manifest.path("config").path("digest").asText(),
                        manifest.path("layers").get(2).path("digest").asText()),
                added);

        JsonNode inspect = Json.MAPPER.readTree(
                Processes.ok(60, "skopeo", "inspect", "--tls-verify=false", "docker://" + host + "/wrapped/app:1"));
        assertEquals("true", inspect.path("Labels").path("dev.inlay.wrapped").asText());
        assertEquals(3, inspect.path("Layers").size());
        assertEquals(r.out().trim(), inspect.path("Digest").asText());

        Cli.Result un = Cli.run("unwrap", host + "/wrapped/app:1", host + "/restored/app:1", "-q");
        assertEquals(0, un.exitCode(), un.toString());
        assertEquals(original, rawDigest("restored/app:1"));
    }

    @Test
    void registryToOciArchiveAndDockerArchiveThatSkopeoReads() throws Exception {
        pushBase("base/app:2");
        Path ociArchive = tmp.resolve("w.oci.tar");
        Cli.Result r = Cli.run(
                "wrap",
                host + "/base/app:2",
                "oci-archive:" + ociArchive + ":w",
                "--mode",
                "monitor",
                "--policy",
                Cli.policyFile(tmp),
                "-q");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode oci = Json.MAPPER.readTree(Processes.ok(60, "skopeo", "inspect", "oci-archive:" + ociArchive + ":w"));
        assertEquals("monitor", oci.path("Labels").path("dev.inlay.mode").asText());
        Path docker = tmp.resolve("w.docker.tar");
        assertEquals(
                0,
                Cli.run(
                                "wrap",
                                "oci-archive:" + ociArchive + ":w",
                                "docker-archive:" + docker + ":example/app:w",
                                "--mode",
                                "learn",
                                "-q")
                        .exitCode());
        JsonNode d = Json.MAPPER.readTree(Processes.ok(60, "skopeo", "inspect", "docker-archive:" + docker));
        assertEquals("learn", d.path("Labels").path("dev.inlay.mode").asText());
        assertEquals(3, d.path("Layers").size(), "re-wrap replaced the inlay layer instead of stacking");
        // and back into the registry through skopeo
        Processes.ok(
                60,
                "skopeo",
                "copy",
                "-q",
                "--dest-tls-verify=false",
                "docker-archive:" + docker,
                "docker://" + host + "/copied/app:1");
        Cli.Result inspect = Cli.run("inspect", host + "/copied/app:1");
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("wrapped: yes (inlay"), inspect.out());
        assertTrue(inspect.out().contains("/opt/jdk/bin/java  17.0.12"), inspect.out());
    }

    @Test
    void multiPlatformIndexInTheRegistry() throws Exception {
        Path layout = tmp.resolve("multi");
        List<byte[]> layers = layers();
        String indexDigest = TestImages.ociIndexLayout(layout, "m", List.of("amd64", "arm64"), layers);
        Processes.ok(
                60,
                "skopeo",
                "copy",
                "-q",
                "--all",
                "--dest-tls-verify=false",
                "oci:" + layout + ":m",
                "docker://" + host + "/multi/app:1");
        assertEquals(indexDigest, rawDigest("multi/app:1"));
        Cli.Result r = Cli.run("wrap", host + "/multi/app:1", host + "/multi/app:wrapped", "--mode", "learn", "-q");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode index = Json.MAPPER.readTree(Processes.ok(
                60, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + host + "/multi/app:wrapped"));
        assertEquals(2, index.path("manifests").size());
        for (String arch : List.of("amd64", "arm64")) {
            JsonNode img = Json.MAPPER.readTree(Processes.ok(
                    60,
                    "skopeo",
                    "inspect",
                    "--tls-verify=false",
                    "--override-arch",
                    arch,
                    "docker://" + host + "/multi/app:wrapped"));
            assertEquals("true", img.path("Labels").path("dev.inlay.wrapped").asText(), arch);
        }
        assertEquals(
                0,
                Cli.run("unwrap", host + "/multi/app:wrapped", host + "/multi/app:back", "-q")
                        .exitCode());
        assertEquals(indexDigest, rawDigest("multi/app:back"));
    }
}
