package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.instrumenter.image.BlobSource;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageOperations;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.LayerStreams;
import dev.inlay.instrumenter.image.MediaTypes;
import dev.inlay.instrumenter.transport.ImageLocation;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.wrap.InlayLayer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code inlay sbom} and {@code inlay wrap} of the docservice image: the Debian bookworm + OpenJDK 17 fixture
 * (scripts/fixtures.sh) with {@code /app/docservice.jar} shaded from the real log4j-core 2.14.1, log4j-api 2.14.1 and
 * commons-collections 3.2.1 jars (as examples/pom.xml's shade plugin makes it), and a jar that an upper layer deletes.
 */
class SbomEndToEndTest {
    static final Path JARS = Path.of("target/sbom-test-jars");
    static Path docservice;
    static Image original;
    /** The first {@code inlay sbom} of the image, shared by the tests: the fixture's base layer is 100+ MB. */
    static Path sbomCache;

    static Cli.Result firstSbom;
    static byte[] firstJson;

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildImage(@TempDir Path dir) throws Exception {
        Path layout = PodmanEndToEndTest.fixture("jre17-oci");
        try (ImageStores stores = new ImageStores(Set.of(), Progress.SILENT)) {
            Image base = (Image) stores.read(ImageLocation.parse("oci:" + layout + ":latest"), null);
            byte[] app = new TestImages.LayerBuilder()
                    .dir("app")
                    .file("app/docservice.jar", shade(), 0644)
                    .dir("app/tools")
                    .file("app/tools/junk-1.0.jar", shade(), 0644)
                    .build();
            byte[] deleteJunk = new TestImages.LayerBuilder()
                    .file("app/tools/.wh.junk-1.0.jar", new byte[0], 0644)
                    .build();
            Image image = append(append(base, app), deleteJunk);
            docservice = dir.resolve("docservice");
            stores.write(ImageLocation.parse("oci:" + docservice + ":1"), image);
            original = (Image) stores.read(ImageLocation.parse("oci:" + docservice + ":1"), null);
        }
        sbomCache = dir.resolve("sbom-cache");
        Path out = dir.resolve("docservice.cdx.json");
        firstSbom =
                Cli.run("sbom", "oci:" + docservice + ":1", "--cache-dir", sbomCache.toString(), "-o", out.toString());
        assertEquals(0, firstSbom.exitCode(), firstSbom.toString());
        firstJson = Files.readAllBytes(out);
    }

    private static Image append(Image image, byte[] tar) throws IOException {
        byte[] gz = TestImages.gzip(tar);
        Layer layer =
                Layer.of(MediaTypes.OCI_LAYER_GZIP, Digests.of(gz), gz.length, Digests.of(tar), BlobSource.of(gz));
        ObjectNode history = Json.MAPPER.createObjectNode().put("created_by", "SbomEndToEndTest");
        return ImageOperations.appendLayer(image, layer, history);
    }

    /** One jar with every entry of the real library jars (first one wins), the way maven-shade-plugin merges them. */
    private static byte[] shade() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.inlay.examples.docservice.DocService");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Set<String> seen = new HashSet<>();
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (String file :
                    List.of("log4j-core-2.14.1.jar", "log4j-api-2.14.1.jar", "commons-collections-3.2.1.jar")) {
                Path p = JARS.resolve(file);
                assertTrue(Files.isRegularFile(p), p + " (copied by the instrumenter pom's sbom-test-jars execution)");
                try (JarInputStream in = new JarInputStream(Files.newInputStream(p))) {
                    JarEntry e;
                    while ((e = in.getNextJarEntry()) != null) {
                        if (e.isDirectory()
                                || !seen.add(e.getName())
                                || e.getName().startsWith("META-INF/")
                                        && e.getName().endsWith(".SF")) continue;
                        jar.putNextEntry(new JarEntry(e.getName()));
                        in.transferTo(jar);
                        jar.closeEntry();
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private Cli.Result sbom(String image, Path cache, Path out) {
        return Cli.run("sbom", image, "--cache-dir", cache.toString(), "-o", out.toString());
    }

    private static void assertValid(byte[] json) throws IOException {
        assertEquals(
                List.of(),
                new JsonParser()
                        .validate(json, Version.VERSION_16).stream()
                                .map(Throwable::getMessage)
                                .toList());
    }

    private static List<JsonNode> allComponents(JsonNode bom) {
        List<JsonNode> out = new ArrayList<>();
        walk(bom.path("components"), out);
        return out;
    }

    private static void walk(JsonNode components, List<JsonNode> out) {
        for (JsonNode c : components) {
            out.add(c);
            walk(c.path("components"), out);
        }
    }

    private static JsonNode byPurl(List<JsonNode> components, String purl) {
        return components.stream()
                .filter(c -> purl.equals(c.path("purl").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + purl));
    }

    /**
     * Read straight from the base layer's tar, without the scanner: the installed packages of the dpkg status file
     * (name@version) and the JAVA_VERSION of the JDK's release file.
     */
    private static List<String> baseLayerFacts() throws IOException {
        Layer base = original.layers().get(0);
        List<String> names = new ArrayList<>();
        try (InputStream in = LayerStreams.uncompressed(base.content(), "base");
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName().replaceFirst("^\\./", "");
                if (name.matches("usr/lib/jvm/[^/]+/release") && e.isFile()) {
                    for (String line : new String(tar.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (line.startsWith("JAVA_VERSION="))
                            names.add("JDK " + line.substring(13).replace("\"", ""));
                    }
                }
                if (!name.equals("var/lib/dpkg/status")) continue;
                for (String paragraph : new String(tar.readAllBytes(), StandardCharsets.UTF_8).split("\n\n")) {
                    if (!paragraph.contains("\nStatus: install ok installed")) continue;
                    String pkg = paragraph
                            .lines()
                            .filter(l -> l.startsWith("Package: "))
                            .findFirst()
                            .orElseThrow()
                            .substring(9);
                    String version = paragraph
                            .lines()
                            .filter(l -> l.startsWith("Version: "))
                            .findFirst()
                            .orElseThrow()
                            .substring(9);
                    names.add(pkg + "@" + version);
                }
            }
        }
        return names;
    }

    @Test
    void sbomOfTheDocserviceImageListsItsLibrariesJdkAndDebianPackages() throws Exception {
        Cli.Result r = firstSbom;
        byte[] json = firstJson;
        assertValid(json);
        JsonNode bom = Json.MAPPER.readTree(json);
        assertEquals(
                "urn:uuid:"
                        + java.util.UUID.nameUUIDFromBytes(
                                ("inlay sbom " + original.digest()).getBytes(StandardCharsets.UTF_8)),
                bom.path("serialNumber").asText());
        List<JsonNode> all = allComponents(bom);

        JsonNode log4j = byPurl(all, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        assertEquals(
                "/app/docservice.jar",
                log4j.at("/evidence/occurrences/0/location").asText());
        assertEquals(
                "/app/docservice.jar!/META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
                log4j.at("/evidence/identity/0/methods/0/value").asText());
        assertEquals(1.0, log4j.at("/evidence/identity/0/confidence").asDouble());
        byPurl(all, "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1");
        byPurl(all, "pkg:maven/commons-collections/commons-collections@3.2.1");
        assertFalse(
                new String(json, StandardCharsets.UTF_8).contains("/app/tools/junk-1.0.jar"),
                "deleted by a whiteout in the top layer");

        List<String> expected = new ArrayList<>(baseLayerFacts());
        List<String> jdks = expected.stream().filter(x -> x.startsWith("JDK ")).toList();
        expected.removeAll(jdks);
        assertEquals(1, jdks.size(), jdks.toString());
        String jdkVersion = jdks.get(0).substring(4);
        JsonNode jdk = byPurl(all, "pkg:generic/openjdk@" + jdkVersion);
        assertEquals("platform", jdk.path("type").asText());
        assertTrue(jdkVersion.startsWith("17."), jdkVersion);

        assertTrue(expected.size() > 50, expected.toString());
        List<String> found = new ArrayList<>();
        for (JsonNode c : all)
            if (c.path("purl").asText().startsWith("pkg:deb/debian/"))
                found.add(c.path("name").asText() + "@" + c.path("version").asText());
        assertEquals(
                expected.stream().sorted().toList(), found.stream().sorted().toList());
        assertTrue(all.stream()
                .anyMatch(c -> c.path("purl").asText().startsWith("pkg:deb/debian/openjdk-17-jre-headless@")
                        && c.path("purl").asText().contains("?arch=amd64&distro=debian-12&upstream=openjdk-17")));
        assertTrue(r.err().contains("3 layers, 0 from the cache, 3 read"), r.err());

        // Every layer again from the cache: not one byte of a layer is read, and the same SBOM comes out.
        Path again = tmp.resolve("again.cdx.json");
        Cli.Result second = sbom("oci:" + docservice + ":1", sbomCache, again);
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(second.err().contains("3 layers, 3 from the cache, 0 read (0 bytes)"), second.err());
        assertArrayEquals(json, Files.readAllBytes(again));
    }

    @Test
    void wrapPutsTheSameSbomIntoTheLayerPinnedByDigest() throws Exception {
        // A cache of its own: the wrap's single pass computes the inventory itself.
        Path out = tmp.resolve("wrapped");
        Cli.Result w = Cli.run(
                "wrap",
                "oci:" + docservice + ":1",
                "oci:" + out + ":w",
                "--mode",
                "learn",
                "-q",
                "--json",
                "--cache-dir",
                tmp.resolve("wrap-cache").toString());
        assertEquals(0, w.exitCode(), w.toString());
        WrapTest.Read wrapped = WrapTest.read(out, "w");
        Map<String, byte[]> files = wrapped.lastLayerFiles();
        byte[] inLayer = files.get(InlayLayer.DIR + dev.inlay.model.LayerLayout.SBOM);
        assertNotNull(inLayer, files.keySet().toString());
        assertArrayEquals(firstJson, inLayer, "inlay sbom of the original and the wrapped layer's SBOM");
        assertValid(inLayer);
        String digest = Digests.of(inLayer);
        assertEquals(
                digest,
                wrapped.config().at("/config/Labels/dev.inlay.sbom-digest").asText());
        assertEquals(
                digest,
                Json.MAPPER.readTree(w.out()).at("/platforms/0/sbomDigest").asText(),
                w.out());
        String props = new String(files.get("opt/inlay/inlay.properties"), StandardCharsets.UTF_8);
        assertTrue(props.contains("\nsbom=/opt/inlay/sbom.cdx.json\n"), props);
        assertTrue(props.contains("\nsbomDigest=" + digest + "\n"), props);
        assertTrue(
                Files.isDirectory(tmp.resolve(
                        "wrap-cache/inventory-v1/" + dev.inlay.scanner.cache.LayerFactCache.BUILD + "/sha256")),
                "wrap caches what it computed");
    }
}
