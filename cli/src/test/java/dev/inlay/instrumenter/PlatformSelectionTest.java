package dev.inlay.instrumenter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --platform that matches nothing is an error (exit 3), a malformed one a usage error (exit 2): never a silent wrap. */
class PlatformSelectionTest {
    @TempDir
    Path tmp;

    private List<byte[]> layers() throws IOException {
        return List.of(TestImages.jvmLayer("/opt/jdk", "17.0.12"));
    }

    @Test
    void aSinglePlatformImageOfAnotherPlatformIsRefused() throws IOException {
        Path src = tmp.resolve("amd64");
        TestImages.ociLayout(src, "v1", layers(), TestImages.config("amd64", layers(), null));
        Path out = tmp.resolve("out");
        Cli.Result wrap = Cli.run(
                "wrap",
                "oci:" + src + ":v1",
                "oci:" + out + ":w",
                "--mode",
                "learn",
                "-q",
                "--platform",
                "linux/arm64");
        assertEquals(3, wrap.exitCode(), wrap.toString());
        assertEquals(
                "inlay: --platform linux/arm64 matches nothing in oci:" + src + ":v1 (it has: linux/amd64)",
                wrap.err().trim());
        assertFalse(Files.exists(out), "nothing written");
        Cli.Result inspect = Cli.run("inspect", "oci:" + src + ":v1", "--platform", "linux/arm64");
        assertEquals(3, inspect.exitCode(), inspect.toString());
        // the image's own platform still matches
        assertEquals(
                0,
                Cli.run(
                                "wrap",
                                "oci:" + src + ":v1",
                                "oci:" + out + ":w",
                                "--mode",
                                "learn",
                                "-q",
                                "--platform",
                                "linux/amd64")
                        .exitCode());
    }

    @Test
    void anIndexWithoutThePlatformIsRefused() throws IOException {
        Path src = tmp.resolve("multi");
        TestImages.ociIndexLayout(src, "m", List.of("amd64", "arm64"), layers());
        Cli.Result inspect = Cli.run("inspect", "oci:" + src + ":m", "--platform", "linux/s390x");
        assertEquals(3, inspect.exitCode(), inspect.toString());
        assertEquals(
                "inlay: --platform linux/s390x matches nothing in oci:" + src + ":m (it has: linux/amd64, linux/arm64)",
                inspect.err().trim());
        assertEquals("", inspect.out());
        Cli.Result wrap = Cli.run(
                "wrap",
                "oci:" + src + ":m",
                "oci:" + tmp.resolve("out") + ":w",
                "--mode",
                "learn",
                "-q",
                "--platform",
                "windows/amd64");
        assertEquals(3, wrap.exitCode(), wrap.toString());
        assertTrue(wrap.err().contains("matches nothing"), wrap.err());
    }

    @Test
    void aMalformedPlatformIsAUsageError() throws IOException {
        Path src = tmp.resolve("amd64");
        TestImages.ociLayout(src, "v1", layers(), TestImages.config("amd64", layers(), null));
        for (String bad :
                List.of("amd64", "linux/", "/amd64", "linux/arm64/v8/extra", "Linux/AMD64", "linux amd64", "")) {
            Cli.Result r = Cli.run("inspect", "oci:" + src + ":v1", "--platform", bad);
            assertEquals(2, r.exitCode(), "'" + bad + "': " + r);
            assertTrue(r.err().contains("--platform must be OS/ARCH[/VARIANT]"), r.err());
        }
    }
}
