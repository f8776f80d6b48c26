package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.instrumenter.image.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crafted archives and layouts: each must end in a clear error (exit 3) with nothing written. */
class HostileInputTest {
    @TempDir
    Path tmp;

    interface TarWriter {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private Path archive(TarWriter w) throws IOException {
        Path file = tmp.resolve("in.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            w.write(tar);
        }
        return file;
    }

    private static void link(TarArchiveOutputStream tar, String name, String target, byte type) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry raw(String name) {
        // the constructor would strip a leading slash or '..'; hostile archives are not so polite
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        return e;
    }

    /** Runs wrap into a fresh output and checks: exit 3, a message, no output, no temporary files left. */
    private void refused(String source, String expectedMessagePart) throws IOException {
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("wrap", source, "oci:" + out, "--mode", "learn", "-q");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().toLowerCase().contains(expectedMessagePart.toLowerCase()), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(
                    List.of(),
                    s.filter(p -> p.getFileName().toString().contains(".inlay-"))
                            .toList());
        }
        try (Stream<Path> s = Files.list(tmp.getParent())) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().equals("evil")), "nothing written outside");
        }
    }

    @Test
    void pathTraversalInArchive() throws IOException {
        Path a = archive(tar -> TestImages.put(tar, "x", new byte[0]));
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(a))) {
            TarArchiveEntry e = raw("../evil");
            e.setSize(4);
            tar.putArchiveEntry(e);
            tar.write("evil".getBytes(StandardCharsets.UTF_8));
            tar.closeArchiveEntry();
            TestImages.put(tar, "manifest.json", "[]".getBytes(StandardCharsets.UTF_8));
        }
        refused("docker-archive:" + a, "escapes");
    }

    @Test
    void absolutePathInArchive() throws IOException {
        Path a = archive(tar -> {
            TarArchiveEntry e = raw("/tmp/evil");
            e.setSize(0);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            TestImages.put(tar, "manifest.json", "[]".getBytes(StandardCharsets.UTF_8));
        });
        refused("docker-archive:" + a, "absolute path");
    }

    @Test
    void symlinkPointingOutside() throws IOException {
        Path a = archive(tar -> link(tar, "manifest.json", "../../../etc/passwd", TarArchiveEntry.LF_SYMLINK));
        refused("docker-archive:" + a, "points outside");
    }

    @Test
    void absoluteSymlink() throws IOException {
        Path a = archive(tar -> link(tar, "manifest.json", "/etc/passwd", TarArchiveEntry.LF_SYMLINK));
        refused("docker-archive:" + a, "points outside");
    }

    @Test
    void hardLinkPointingOutside() throws IOException {
        Path a = archive(tar -> link(tar, "manifest.json", "../outside", TarArchiveEntry.LF_LINK));
        refused("docker-archive:" + a, "points outside");
    }

    @Test
    void linkToMissingFile() throws IOException {
        Path a = archive(tar -> link(tar, "manifest.json", "nothing-here.json", TarArchiveEntry.LF_SYMLINK));
        refused("docker-archive:" + a, "missing");
    }

    @Test
    void corruptManifest() throws IOException {
        Path a =
                archive(tar -> TestImages.put(tar, "manifest.json", "[{\"Config\": ".getBytes(StandardCharsets.UTF_8)));
        refused("docker-archive:" + a, "manifest.json");
    }

    @Test
    void manifestNamingAPathOutsideTheArchive() throws IOException {
        Path a = archive(tar -> TestImages.put(
                tar,
                "manifest.json",
                "[{\"Config\":\"../../etc/passwd\",\"Layers\":[]}]".getBytes(StandardCharsets.UTF_8)));
        refused("docker-archive:" + a, "escapes");
    }

    @Test
    void notATarAtAll() throws IOException {
        Path a = tmp.resolve("garbage.tar");
        Files.write(
                a,
                "this is not a tar archive, just some text that is long enough"
                        .repeat(20)
                        .getBytes(StandardCharsets.UTF_8));
        refused("docker-archive:" + a, "not a readable tar archive");
    }

    @Test
    void digestThatIsAPath() throws IOException {
        Path dir = tmp.resolve("layout");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(
                dir.resolve("index.json"),
                "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"digest\":\"sha256:../../../../etc/passwd\",\"size\":1}]}");
        refused("oci:" + dir, "not a sha256 digest");
    }

    @Test
    void layerWithPathTraversal() throws IOException {
        byte[] evil;
        try (var bytes = new java.io.ByteArrayOutputStream();
                TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = raw("usr/../../evil");
            e.setSize(1);
            e.setMode(0100755);
            tar.putArchiveEntry(e);
            tar.write('x');
            tar.closeArchiveEntry();
            tar.finish();
            evil = bytes.toByteArray();
        }
        List<byte[]> layers = List.of(TestImages.jvmLayer("/opt/jdk", "17"), evil);
        Path dir = tmp.resolve("layout");
        TestImages.ociLayout(dir, "v1", layers, TestImages.config("amd64", layers, null));
        refused("oci:" + dir, "escapes the root");
    }

    @Test
    void decompressionBomb() throws IOException {
        // 100 MiB of zeros gzip to about 100 KiB: far beyond any real layer's ratio
        Path bombTar = tmp.resolve("bomb.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(bombTar))) {
            TarArchiveEntry e = new TarArchiveEntry("zeros");
            long size = 100L << 20;
            e.setSize(size);
            e.setMode(0100755);
            tar.putArchiveEntry(e);
            byte[] chunk = new byte[1 << 20];
            for (long n = 0; n < size; n += chunk.length) tar.write(chunk);
            tar.closeArchiveEntry();
        }
        byte[] bomb = Files.readAllBytes(bombTar);
        Files.delete(bombTar);
        List<byte[]> layers = List.of(TestImages.jvmLayer("/opt/jdk", "17"), bomb);
        Path dir = tmp.resolve("layout");
        ObjectNode config = TestImages.config("amd64", layers, null);
        TestImages.ociLayout(dir, "v1", layers, config);
        refused("oci:" + dir, "decompression bomb");
    }

    @Test
    void configDigestMismatch() throws IOException {
        List<byte[]> layers = List.of(TestImages.jvmLayer("/opt/jdk", "17"));
        Path dir = tmp.resolve("layout");
        ObjectNode config = TestImages.config("amd64", layers, null);
        TestImages.ociLayout(dir, "v1", layers, config);
        String hex =
                dev.inlay.instrumenter.image.Digests.hex(dev.inlay.instrumenter.image.Digests.of(Json.bytes(config)));
        try (OutputStream out = Files.newOutputStream(dir.resolve("blobs/sha256/" + hex))) {
            out.write(Json.bytes(config.put("architecture", "evil")));
        }
        refused("oci:" + dir, "corrupt");
    }
}
