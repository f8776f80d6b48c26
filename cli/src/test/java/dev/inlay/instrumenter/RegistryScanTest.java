package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.instrumenter.admission.ScanVerdictDirectory;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.transport.ImageLocation;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.scanner.gate.ScanVerdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code inlay registry scan}, the ship phase, against a real registry of its own (docker-registry on 127.0.0.1, a
 * random port) holding two repositories and three tags, with real library jars (log4j-core 2.14.1 and 2.17.1,
 * commons-collections 3.2.1) and OSV records written from the public advisories (scanner test resources): the
 * catalog and tag lists are read, every image is inventoried once, a re-run against a newer database reads no layer
 * (counted in the registry's own request log) and reports only what changed, and the verdicts are what admission
 * reads.
 */
class RegistryScanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OSV =
            Path.of("../scanner/src/test/resources/osv").toAbsolutePath().normalize();

    @TempDir
    static Path registryDir;

    static TestRegistry registry;
    static String host;
    static Map<String, String> digests = new TreeMap<>();
    static Set<String> layers = new java.util.HashSet<>();

    @BeforeAll
    static void registryWithImages() throws Exception {
        registry = TestRegistry.start(registryDir, "", true, 200);
        host = registry.host;
        push("shop/orders:1", "log4j-core-2.14.1.jar");
        push("shop/orders:2", "log4j-core-2.17.1.jar");
        push("tools/batch:1", "commons-collections-3.2.1.jar");
    }

    /** An image of one layer holding one real library jar under /app/lib. */
    private static void push(String reference, String jar) throws Exception {
        Path file = SbomEndToEndTest.JARS.resolve(jar);
        assertTrue(Files.isRegularFile(file), file + " (copied by the instrumenter pom's sbom-test-jars execution)");
        byte[] layer = new TestImages.LayerBuilder()
                .dir("app")
                .dir("app/lib")
                .file("app/lib/" + jar, Files.readAllBytes(file), 0644)
                .build();
        Path layout = registryDir
                .resolve("layouts")
                .resolve(reference.replace('/', '_').replace(':', '_'));
        TestImages.ociLayout(layout, "1", List.of(layer), TestImages.config("amd64", List.of(layer), c -> {}));
        try (ImageStores stores = new ImageStores(Set.of(), Progress.SILENT)) {
            Image image = (Image) stores.read(ImageLocation.parse("oci:" + layout + ":1"), null);
            stores.write(ImageLocation.parse(host + "/" + reference), image);
            digests.put(reference, image.digest());
            for (dev.inlay.instrumenter.image.Layer l : image.layers()) layers.add(l.digest());
        }
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) registry.close();
    }

    /** How many times the registry has served a layer (its access log: one line per request; configs are blobs too). */
    private static long layerReads() throws IOException {
        return Files.readAllLines(registry.log()).stream()
                .filter(l -> l.contains("\"GET /v2/") && layers.stream().anyMatch(d -> l.contains("/blobs/" + d)))
                .count();
    }

    private static JsonNode scan(Path db, Path state, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "registry",
                "scan",
                host,
                "--db",
                db.toString(),
                "--state",
                state.toString(),
                "--fail-on",
                "high",
                "--no-cache",
                "--json"));
        args.addAll(List.of(more));
        Cli.Result r = Cli.run(args.toArray(new String[0]));
        JsonNode doc = JSON.readTree(r.out());
        doc = ((com.fasterxml.jackson.databind.node.ObjectNode) doc)
                .put("exit", r.exitCode())
                .put("err", r.err());
        return doc;
    }

    private static JsonNode image(JsonNode doc, String reference) {
        for (JsonNode i : doc.path("images")) if (i.path("reference").asText().equals(host + "/" + reference)) return i;
        throw new AssertionError("no " + reference + " in " + doc);
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : list) out.add(n.asText());
        return out;
    }

    @Test
    void everyTagOnceThenOnlyWhatChanged(@TempDir Path tmp) throws Exception {
        Path older = tmp.resolve("older-db/maven");
        Files.createDirectories(older);
        Files.copy(OSV.resolve("maven/GHSA-jfh8-c2jp-5v3q.json"), older.resolve("GHSA-jfh8-c2jp-5v3q.json"));
        Path state = tmp.resolve("state");

        // Day 1: the catalog's two repositories, their three tags; each image inventoried.
        JsonNode first = scan(older.getParent(), state);
        assertEquals(1, first.path("exit").asInt(), first.toString());
        assertEquals(3, first.path("images").size(), first.toString());
        JsonNode orders1 = image(first, "shop/orders:1");
        assertEquals(digests.get("shop/orders:1"), orders1.path("digest").asText());
        assertTrue(orders1.path("inventoried").asBoolean());
        assertFalse(orders1.path("passed").asBoolean());
        assertEquals(
                List.of("CVE-2021-44228 pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"),
                texts(orders1.path("new")));
        assertTrue(image(first, "shop/orders:2").path("passed").asBoolean(), "2.17.1 is past every fix: " + first);
        assertTrue(image(first, "tools/batch:1").path("passed").asBoolean(), "no advisory for it yet: " + first);

        // Day 2: a newer database. Nothing is read from the registry but manifests; only the new findings reported.
        long layersBefore = layerReads();
        assertTrue(layersBefore >= 3, "day 1 read each image's layer: " + layersBefore);
        JsonNode second = scan(OSV, state);
        assertEquals(
                layersBefore,
                layerReads(),
                "no layer read again: " + second.path("err").asText());
        for (JsonNode i : second.path("images"))
            assertFalse(i.path("inventoried").asBoolean(), i.toString());
        JsonNode batch = image(second, "tools/batch:1");
        assertFalse(batch.path("passed").asBoolean(), second.toString());
        assertEquals(
                List.of("CVE-2015-7501 pkg:maven/commons-collections/commons-collections@3.2.1"),
                texts(batch.path("new")));
        List<String> newForOrders = texts(image(second, "shop/orders:1").path("new"));
        assertFalse(
                newForOrders.contains("CVE-2021-44228 pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"),
                "reported on day 1, not again: " + newForOrders);
        assertTrue(
                newForOrders.contains("CVE-2021-45046 pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"),
                newForOrders.toString());
        assertTrue(image(second, "shop/orders:2").path("passed").asBoolean(), second.toString());
        assertTrue(
                second.path("err").asText().contains("3 images (0 inventoried, 3 from"),
                second.path("err").asText());

        // Day 3: back to the older database (records withdrawn upstream): what no longer applies is reported fixed.
        JsonNode third = scan(older.getParent(), state);
        assertEquals(
                List.of("CVE-2015-7501 pkg:maven/commons-collections/commons-collections@3.2.1"),
                texts(image(third, "tools/batch:1").path("fixed")));
        assertTrue(image(third, "tools/batch:1").path("passed").asBoolean());

        // What admission reads: the verdicts by digest, the reasons naming the finding.
        ScanVerdictDirectory verdicts = new ScanVerdictDirectory(state.resolve("verdicts"));
        ScanVerdict orders = verdicts.forDigest(digests.get("shop/orders:1")).orElseThrow();
        assertFalse(orders.passed());
        assertEquals(
                List.of("CVE-2021-44228 (critical) in pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1,"
                        + " fixed in 2.15.0"),
                orders.reasons());
        assertTrue(
                verdicts.forDigest(digests.get("shop/orders:2")).orElseThrow().passed());
    }

    @Test
    void oneRepositoryOrOneTag(@TempDir Path tmp) throws Exception {
        Cli.Result tag = Cli.run(
                "registry",
                "scan",
                host + "/shop/orders:2",
                "--db",
                OSV.toString(),
                "--state",
                tmp.resolve("s1").toString(),
                "--no-cache");
        assertEquals(0, tag.exitCode(), tag.toString());
        assertTrue(
                tag.out().startsWith("passed " + host + "/shop/orders:2 " + digests.get("shop/orders:2")), tag.out());
        Cli.Result repo = Cli.run(
                "registry",
                "scan",
                host + "/shop/orders",
                "--db",
                OSV.toString(),
                "--state",
                tmp.resolve("s2").toString(),
                "--no-cache",
                "--fail-on",
                "critical");
        assertEquals(1, repo.exitCode(), repo.toString());
        assertEquals(2, repo.out().lines().count(), repo.out());
        Cli.Result digest = Cli.run(
                "registry",
                "scan",
                host + "/shop/orders@" + digests.get("shop/orders:2"),
                "--db",
                OSV.toString(),
                "--state",
                tmp.resolve("s3").toString());
        assertEquals(3, digest.exitCode(), digest.toString());
        Cli.Result noDb = Cli.run(
                "registry",
                "scan",
                host,
                "--db",
                tmp.resolve("missing").toString(),
                "--state",
                tmp.resolve("s4").toString());
        assertEquals(4, noDb.exitCode(), noDb.toString());
    }

    /** {@code inlay scan IMAGE} inventories the image itself; {@code inlay wrap --scan-db} refuses what fails the gate. */
    @Test
    void scanAnImageAndRefuseToWrapOne(@TempDir Path tmp) throws Exception {
        Cli.Result scan = Cli.run(
                "scan",
                host + "/shop/orders:1",
                "--db",
                OSV.toString(),
                "--fail-on",
                "critical",
                "--no-cache",
                "--json");
        assertEquals(1, scan.exitCode(), scan.toString());
        assertTrue(scan.out().contains("CVE-2021-44228"), scan.out());
        Cli.Result refused = Cli.run(
                "wrap",
                host + "/shop/orders:1",
                "oci:" + tmp.resolve("wrapped") + ":1",
                "--mode",
                "learn",
                "--force",
                "--scan-db",
                OSV.toString(),
                "--fail-on",
                "critical",
                "--no-cache");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(
                refused.err()
                        .contains("wrap refused: " + digests.get("shop/orders:1")
                                + " fails the scan gate: CVE-2021-44228 (critical)"),
                refused.err());
        assertFalse(Files.exists(tmp.resolve("wrapped/index.json")), "nothing written");
        Cli.Result passed = Cli.run(
                "wrap",
                host + "/shop/orders:2",
                "oci:" + tmp.resolve("wrapped2") + ":1",
                "--mode",
                "learn",
                "--force",
                "--scan-db",
                OSV.toString(),
                "--fail-on",
                "critical",
                "--no-cache");
        assertEquals(0, passed.exitCode(), passed.toString());
        Cli.Result noThreshold = Cli.run(
                "wrap",
                host + "/shop/orders:2",
                "oci:" + tmp.resolve("wrapped3") + ":1",
                "--mode",
                "learn",
                "--force",
                "--scan-db",
                OSV.toString());
        assertEquals(2, noThreshold.exitCode(), noThreshold.toString());
    }
}
