package dev.inlay.instrumenter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inlay cache info|clear|export|import} on the cache a real wrap filled (docs/CLI.md). */
class CacheCommandTest {
    @TempDir
    Path tmp;

    private String wrapInto(Path cache) throws IOException {
        List<byte[]> layers = List.of(
                TestImages.jvmLayer("/opt/jdk", "17.0.12"),
                new TestImages.LayerBuilder()
                        .file("app/app.jar", "jar", 0644)
                        .file("usr/bin/start", "#!/bin/sh\nexec java -jar /app/app.jar\n", 0755)
                        .build());
        Path src = tmp.resolve("src");
        if (!Files.exists(src)) TestImages.ociLayout(src, "v1", layers, TestImages.config("amd64", layers, null));
        Cli.Result r = Cli.run(
                "wrap",
                "oci:" + src + ":v1",
                "oci:" + tmp.resolve("out-" + cache.getFileName()) + ":w",
                "--mode",
                "learn",
                "--cache-dir",
                cache.toString());
        assertEquals(0, r.exitCode(), r.toString());
        return r.out().trim();
    }

    @Test
    void infoExportImportAndClearManageWhatAWrapCached() throws IOException {
        Path cache = tmp.resolve("a");
        String wrapped = wrapInto(cache);
        Cli.Result info = Cli.run("cache", "info", "--cache-dir", cache.toString());
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains("location: " + cache.toAbsolutePath()), info.out());
        // two layers, each with its filesystem facts and its inventory
        assertTrue(info.out().contains("entries: 4\n"), info.out());

        Path tar = tmp.resolve("cache.tar");
        Cli.Result export = Cli.run("cache", "export", tar.toString(), "--cache-dir", cache.toString());
        assertEquals(0, export.exitCode(), export.toString());
        assertTrue(export.err().contains("exported 4 entries"), export.err());

        Path other = tmp.resolve("b");
        Cli.Result imported = Cli.run("cache", "import", tar.toString(), "--cache-dir", other.toString());
        assertEquals(0, imported.exitCode(), imported.toString());
        assertTrue(imported.err().contains("imported 4 entries"), imported.err());
        // the imported cache serves the same wrap
        assertEquals(wrapped, wrapInto(other));

        // an altered entry in the tar is refused, named, and the rest imported
        byte[] bytes = Files.readAllBytes(tar);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("/opt/jdk/bin/java");
        assertTrue(at > 0);
        bytes[at + 1] = 'O';
        Path altered = Files.write(tmp.resolve("altered.tar"), bytes);
        Cli.Result refused = Cli.run(
                "cache",
                "import",
                altered.toString(),
                "--cache-dir",
                tmp.resolve("c").toString());
        assertEquals(3, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("inlay: refused ") && refused.err().contains("damaged"), refused.err());
        assertTrue(refused.err().contains("imported 3 entries"), refused.err());

        Path notTar = Files.writeString(tmp.resolve("not.tar"), "hello");
        assertEquals(
                3,
                Cli.run("cache", "import", notTar.toString(), "--cache-dir", other.toString())
                        .exitCode());

        Cli.Result clear = Cli.run("cache", "clear", "--cache-dir", cache.toString());
        assertEquals(0, clear.exitCode(), clear.toString());
        assertTrue(clear.err().contains("removed 4 entries"), clear.err());
        assertTrue(
                Cli.run("cache", "info", "--cache-dir", cache.toString()).out().contains("entries: 0\n"));
    }

    @Test
    void aBadMaximumSizeIsABadCommandLine() {
        Cli.Result r = Cli.run("cache", "info", "--cache-max-size", "lots", "--cache-dir", tmp.toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("lots"), r.err());
        Cli.Result ok = Cli.run("cache", "info", "--cache-max-size", "2G", "--cache-dir", tmp.toString());
        assertTrue(ok.out().contains("maximum " + (2L << 30)), ok.out());
        assertEquals(2, Cli.run("cache").exitCode());
    }
}
