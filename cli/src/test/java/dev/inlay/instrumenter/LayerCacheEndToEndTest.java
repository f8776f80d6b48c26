package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.model.LayerLayout;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layer cache against a real registry (docker-registry on 127.0.0.1, its access log counting every blob GET) and
 * the real JRE fixture images: a wrap whose base layers are cached reads none of them and writes the same inlay layer,
 * byte for byte, as the wrap that read them.
 */
class LayerCacheEndToEndTest extends WithTestRegistry {
    @BeforeAll
    static void startRegistry() throws Exception {
        startOpenRegistry(true);
    }

    /** What one wrap did: its output digest and the digests of the blobs it GOT from the registry. */
    record Wrap(String digest, List<String> blobGets, String err) {}

    private Wrap wrap(String from, String to, Path cache, String... more) throws IOException {
        long logBefore = Files.size(registry.log());
        List<String> args = new ArrayList<>(
                List.of("wrap", "registry://" + host + "/" + from, host + "/" + to, "--cache-dir", cache.toString()));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        return new Wrap(r.out().trim(), blobGets(logBefore), r.err());
    }

    /** The blobs the registry served with GET since the log had {@code from} bytes. */
    private static List<String> blobGets(long from) throws IOException {
        byte[] log = Files.readAllBytes(registry.log());
        String since = new String(log, (int) from, log.length - (int) from, StandardCharsets.UTF_8);
        List<String> gets = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"GET /v2/[^ ]*/blobs/(sha256:[0-9a-f]{64})")
                .matcher(since);
        while (m.find()) gets.add(m.group(1));
        return gets;
    }

    private static JsonNode manifest(String repoTag) throws Exception {
        return Json.MAPPER.readTree(Processes.ok(
                60, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + host + "/" + repoTag));
    }

    private static List<String> layerDigests(String repoTag) throws Exception {
        List<String> digests = new ArrayList<>();
        manifest(repoTag)
                .path("layers")
                .forEach(l -> digests.add(l.path("digest").asText()));
        return digests;
    }

    /** The files of the inlay layer (the last) of a wrapped image in the registry. */
    private static Map<String, byte[]> inlayFiles(String repoTag) throws Exception {
        List<String> layers = layerDigests(repoTag);
        String repo = repoTag.substring(0, repoTag.lastIndexOf(':'));
        HttpResponse<byte[]> blob = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://" + host + "/v2/" + repo + "/blobs/" + layers.get(layers.size() - 1)))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, blob.statusCode());
        Map<String, byte[]> files = new TreeMap<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(blob.body())))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) if (e.isFile()) files.put(e.getName(), tar.readAllBytes());
        }
        return files;
    }

    private static void push(Path layout, String repoTag) throws Exception {
        Processes.ok(
                300,
                "skopeo",
                "copy",
                "-q",
                "--dest-tls-verify=false",
                "oci:" + layout + ":latest",
                "docker://" + host + "/" + repoTag);
    }

    /**
     * The learn -> enforce sequence on the real JRE 17 image: the first wrap reads every base layer (an empty cache),
     * the second wrap of the same image and the enforce wrap read none, and the cached wrap writes exactly the inlay
     * layer the reading wrap wrote (same wrapped digest: the layer is reproducible, so its baseline, settings, hooked
     * classes and SBOM are byte-identical).
     */
    @Test
    void aRewrapOfACachedBaseDownloadsNoBaseLayerAndWritesTheSameLayer() throws Exception {
        Path layout = PodmanEndToEndTest.fixture("jre17-oci");
        push(layout, "jre17/app:1");
        List<String> base = layerDigests("jre17/app:1");
        Path cache = tmp.resolve("cache");
        String policy = Cli.policyFile(tmp);

        Wrap cold = wrap("jre17/app:1", "jre17/learn:cold", cache, "--mode", "learn");
        assertTrue(cold.blobGets().containsAll(base), "an empty cache reads every layer: " + cold);
        Wrap warm = wrap("jre17/app:1", "jre17/learn:warm", cache, "--mode", "learn");
        assertEquals(List.of(), warm.blobGets().stream().filter(base::contains).toList(), warm.toString());
        assertTrue(warm.err().contains("downloaded 0 bytes"), warm.err());
        assertEquals(cold.digest(), warm.digest(), "the cached wrap writes the same image");

        Map<String, byte[]> coldFiles = inlayFiles("jre17/learn:cold");
        Map<String, byte[]> warmFiles = inlayFiles("jre17/learn:warm");
        assertEquals(coldFiles.keySet(), warmFiles.keySet());
        for (String name :
                List.of(LayerLayout.BASELINE, LayerLayout.SETTINGS, LayerLayout.HOOKED_CLASSES, LayerLayout.SBOM)) {
            byte[] c = coldFiles.get("opt/inlay/" + name);
            assertTrue(c != null && c.length > 0, name + " in " + coldFiles.keySet());
            assertArrayEquals(c, warmFiles.get("opt/inlay/" + name), name);
        }

        Wrap enforce = wrap("jre17/app:1", "jre17/enforce:1", cache, "--mode", "enforce", "--policy", policy);
        assertEquals(
                List.of(), enforce.blobGets().stream().filter(base::contains).toList(), enforce.toString());
        assertTrue(enforce.err().contains("downloaded 0 bytes"), enforce.err());
    }

    /** Cached and read wraps of the real JRE 25 image (a jlink'd runtime) give the same wrapped image. */
    @Test
    void theJre25ImageWrapsTheSameFromTheCache() throws Exception {
        Path layout = PodmanEndToEndTest.fixture("jre25-oci");
        push(layout, "jre25/app:1");
        Path cache = tmp.resolve("cache");
        Wrap cold = wrap("jre25/app:1", "jre25/w:cold", cache, "--mode", "learn");
        Wrap warm = wrap("jre25/app:1", "jre25/w:warm", cache, "--mode", "learn");
        assertTrue(warm.err().contains("downloaded 0 bytes"), warm.err());
        assertEquals(cold.digest(), warm.digest());
        assertTrue(inlayFiles("jre25/w:warm").get("opt/inlay/" + LayerLayout.HOOKED_CLASSES).length > 0);
    }

    /** A second application on the same base: only the layers of its own are downloaded. */
    @Test
    void aSecondApplicationOnACachedBaseDownloadsOnlyItsOwnLayers() throws Exception {
        byte[] jdk = TestImages.jvmLayer("/opt/jdk", "17.0.12");
        byte[] tools = new TestImages.LayerBuilder()
                .file("usr/bin/tool", "#!/bin/sh\nexec java -jar /app/app.jar\n", 0755)
                .build();
        List<String> repos = List.of("first", "second");
        for (String app : repos) {
            List<byte[]> layers = List.of(
                    jdk,
                    tools,
                    new TestImages.LayerBuilder()
                            .file("app/" + app + ".jar", app.repeat(1000), 0644)
                            .build());
            Path layout = tmp.resolve(app);
            TestImages.ociLayout(layout, "latest", layers, TestImages.config("amd64", layers, null));
            push(layout, "apps/" + app + ":1");
        }
        Path cache = tmp.resolve("cache");
        Wrap first = wrap("apps/first:1", "apps/first:w", cache, "--mode", "learn");
        List<String> firstLayers = layerDigests("apps/first:1");
        assertTrue(first.blobGets().containsAll(firstLayers), first.toString());

        List<String> secondLayers = layerDigests("apps/second:1");
        assertEquals(firstLayers.subList(0, 2), secondLayers.subList(0, 2), "the same base");
        Wrap second = wrap("apps/second:1", "apps/second:w", cache, "--mode", "learn");
        assertEquals(
                List.of(secondLayers.get(2)),
                second.blobGets().stream().filter(secondLayers::contains).toList(),
                second.toString());
    }

    /**
     * A layer the registry fails to serve while the wrap reads it is a registry failure (exit 4), not a malformed image
     * (3): the layer is read while it downloads, and the download's failure reaches the reader as what it is.
     */
    @Test
    void aLayerTheRegistryCannotServeIsARegistryFailure() throws Exception {
        List<byte[]> layers = List.of(
                TestImages.jvmLayer("/opt/jdk", "17.0.12"),
                new TestImages.LayerBuilder().file("app/broken.jar", "b", 0644).build());
        Path layout = tmp.resolve("broken");
        TestImages.ociLayout(layout, "latest", layers, TestImages.config("amd64", layers, null));
        push(layout, "broken/app:1");
        String lost = layerDigests("broken/app:1").get(1);
        Path data = registryDir.resolve(
                "data/docker/registry/v2/blobs/sha256/" + lost.substring(7, 9) + "/" + lost.substring(7) + "/data");
        Files.delete(data);
        Cli.Result r = Cli.run(
                "wrap",
                "registry://" + host + "/broken/app:1",
                host + "/broken/w:1",
                "--mode",
                "learn",
                "--cache-dir",
                tmp.resolve("cache").toString());
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.err().contains(lost), r.err());
        assertTrue(!r.err().contains("not a readable tar"), r.err());
    }
}
