package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlay.instrumenter.image.Json;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inlay sbom} on small synthetic images: locations, platforms, the cache and its failures, errors. */
class SbomCommandTest {
    @TempDir
    Path tmp;

    static byte[] jar(String group, String artifact, String version) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.putNextEntry(new ZipEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties"));
            jar.write(("groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    private static List<byte[]> layers() throws IOException {
        return List.of(
                TestImages.jvmLayer("/opt/jdk", "17.0.12"),
                new TestImages.LayerBuilder()
                        .dir("app")
                        .file(
                                "app/log4j-core-2.14.1.jar",
                                jar("org.apache.logging.log4j", "log4j-core", "2.14.1"),
                                0644)
                        .build());
    }

    private Path dockerArchive() throws IOException {
        Path archive = tmp.resolve("app.tar");
        TestImages.dockerArchive(archive, "app:1", layers(), TestImages.config("amd64", layers(), c -> {}));
        return archive;
    }

    private static List<String> purls(byte[] json) throws IOException {
        JsonNode bom = Json.MAPPER.readTree(json);
        return Stream.of(bom.path("components"))
                .flatMap(c -> java.util.stream.StreamSupport.stream(c.spliterator(), false))
                .map(c -> c.path("purl").asText())
                .toList();
    }

    @Test
    void writesTheSbomOfADockerArchiveToAFileOrStdout() throws IOException {
        Path archive = dockerArchive();
        Path out = tmp.resolve("app.cdx.json");
        Cli.Result r = Cli.run(
                "sbom",
                "docker-archive:" + archive,
                "-o",
                out.toString(),
                "--cache-dir",
                tmp.resolve("c").toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.out());
        byte[] json = Files.readAllBytes(out);
        assertEquals(
                List.of(),
                new JsonParser()
                        .validate(json, Version.VERSION_16).stream()
                                .map(Throwable::getMessage)
                                .toList());
        assertEquals(
                List.of("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:generic/openjdk@17.0.12"),
                purls(json));

        Cli.Result stdout = Cli.run(
                "sbom",
                "docker-archive:" + archive,
                "-q",
                "--cache-dir",
                tmp.resolve("c").toString());
        assertEquals(0, stdout.exitCode(), stdout.toString());
        assertEquals("", stdout.err());
        assertEquals(
                new String(json, StandardCharsets.UTF_8).strip(), stdout.out().strip());
    }

    @Test
    void aMultiPlatformImageNeedsPlatform() throws IOException {
        Path layout = tmp.resolve("multi");
        TestImages.ociIndexLayout(layout, "v1", List.of("amd64", "arm64"), layers());
        Cli.Result all = Cli.run("sbom", "oci:" + layout + ":v1", "--no-cache");
        assertEquals(3, all.exitCode(), all.toString());
        assertTrue(all.err().contains("holds 2 platforms; choose one with --platform"), all.err());
        Cli.Result one = Cli.run("sbom", "oci:" + layout + ":v1", "--platform", "linux/arm64", "--no-cache", "-q");
        assertEquals(0, one.exitCode(), one.toString());
        assertTrue(
                purls(one.out().getBytes(StandardCharsets.UTF_8)).contains("pkg:generic/openjdk@17.0.12"), one.out());
    }

    @Test
    void corruptCacheEntriesAreRecomputedAndNoCacheLeavesTheCacheAlone() throws IOException {
        Path archive = dockerArchive();
        Path cache = tmp.resolve("cache");
        Cli.Result first = Cli.run(
                "sbom",
                "docker-archive:" + archive,
                "--cache-dir",
                cache.toString(),
                "-o",
                tmp.resolve("1.json").toString());
        assertTrue(first.err().contains("2 layers, 0 from the cache, 2 read"), first.toString());
        List<Path> entries;
        try (Stream<Path> s =
                Files.list(cache.resolve("inventory-v1/" + dev.inlay.scanner.cache.LayerFactCache.BUILD + "/sha256"))) {
            entries = s.toList();
        }
        assertEquals(2, entries.size());
        for (Path e : entries) Files.writeString(e, "{\"removed\":[");
        Cli.Result second = Cli.run(
                "sbom",
                "docker-archive:" + archive,
                "--cache-dir",
                cache.toString(),
                "-o",
                tmp.resolve("2.json").toString());
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(
                second.err().contains("2 layers, 0 from the cache, 2 read"),
                "corrupt entries are not used: " + second.err());
        assertEquals(Files.readString(tmp.resolve("1.json")), Files.readString(tmp.resolve("2.json")));
        Cli.Result third = Cli.run(
                "sbom",
                "docker-archive:" + archive,
                "--cache-dir",
                cache.toString(),
                "-o",
                tmp.resolve("3.json").toString());
        assertTrue(
                third.err().contains("2 layers, 2 from the cache, 0 read (0 bytes)"),
                "and were rewritten: " + third.err());

        Path unused = tmp.resolve("unused");
        Cli.Result none = Cli.run(
                "sbom",
                "docker-archive:" + archive,
                "--cache-dir",
                unused.toString(),
                "--no-cache",
                "-o",
                tmp.resolve("4.json").toString());
        assertEquals(0, none.exitCode(), none.toString());
        assertTrue(none.err().contains("2 layers, 0 from the cache, 2 read"), none.err());
        assertFalse(Files.exists(unused));
    }

    /**
     * An executable jar is read by the drift baseline and the inventory from one read of the layer: one larger than
     * the wrap's in-memory limit (64 MB) goes through the work directory, and is in the layer's SBOM all the same.
     */
    @Test
    void wrapInventoriesALargeExecutableJarLikeSbom() throws IOException {
        byte[] padding = new byte[65 << 20];
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        ByteArrayOutputStream big = new ByteArrayOutputStream(padding.length + 4096);
        try (JarOutputStream jar = new JarOutputStream(big, m)) {
            jar.putNextEntry(new ZipEntry("META-INF/maven/com.example/big/pom.properties"));
            jar.write("groupId=com.example\nartifactId=big\nversion=9.1\n".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            ZipEntry stored = new ZipEntry("data.bin");
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(padding.length);
            stored.setCompressedSize(padding.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(padding);
            stored.setCrc(crc.getValue());
            jar.putNextEntry(stored);
            jar.write(padding);
            jar.closeEntry();
        }
        padding = null;
        List<byte[]> layers = List.of(
                TestImages.jvmLayer("/opt/jdk", "17.0.12"),
                new TestImages.LayerBuilder()
                        .dir("app")
                        .file("app/big-9.1.jar", big.toByteArray(), 0755)
                        .build());
        big = null;
        Path archive = tmp.resolve("big.tar");
        TestImages.dockerArchive(archive, "big:1", layers, TestImages.config("amd64", layers, c -> {}));
        layers = null;
        Path sbom = tmp.resolve("big.cdx.json");
        Cli.Result s = Cli.run("sbom", "docker-archive:" + archive, "--no-cache", "-q", "-o", sbom.toString());
        assertEquals(0, s.exitCode(), s.toString());
        assertTrue(purls(Files.readAllBytes(sbom)).contains("pkg:maven/com.example/big@9.1"));
        Path out = tmp.resolve("wrapped");
        Cli.Result w = Cli.run(
                "wrap", "docker-archive:" + archive, "oci:" + out + ":w", "--mode", "learn", "-q", "--no-cache");
        assertEquals(0, w.exitCode(), w.toString());
        java.util.Map<String, byte[]> files = WrapTest.read(out, "w").lastLayerFiles();
        assertEquals(Files.readString(sbom), new String(files.get("opt/inlay/sbom.cdx.json"), StandardCharsets.UTF_8));
        assertTrue(
                new String(files.get("opt/inlay/baseline.tsv"), StandardCharsets.UTF_8)
                        .contains("\t/app/big-9.1.jar\n"),
                "and in the drift baseline");
    }

    @Test
    void anOutputInAMissingDirectoryIsAFileFailure() throws IOException {
        Cli.Result r = Cli.run(
                "sbom",
                "docker-archive:" + dockerArchive(),
                "--no-cache",
                "-o",
                tmp.resolve("no/such/dir/x.json").toString());
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.err().contains("no/such/dir"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}
