package dev.inlay.scanner.inventory;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageInventoryTest {
    private static final String L1 = "sha256:" + "1".repeat(64);
    private static final String L2 = "sha256:" + "2".repeat(64);

    private static void file(LayerScanner s, String path, byte[] content) throws IOException {
        assertTrue(LayerScanner.wants(path), path);
        s.file(path, content.length, new ByteArrayInputStream(content));
    }

    private static List<String> names(ImageInventory inventory) {
        return inventory.components().stream()
                .map(f -> f.component().name() + "@" + f.component().location())
                .toList();
    }

    @Test
    void aJarDeletedInAnUpperLayerIsNotInTheImage() throws IOException {
        LayerScanner base = new LayerScanner();
        file(
                base,
                "/app/lib/commons-collections-3.2.1.jar",
                new TestJars()
                        .pom("commons-collections", "commons-collections", "3.2.1")
                        .build());
        file(
                base,
                "/app/lib/log4j-core-2.14.1.jar",
                new TestJars()
                        .pom("org.apache.logging.log4j", "log4j-core", "2.14.1")
                        .build());
        file(base, "/opt/old/a-1.0.jar", new TestJars().build());
        LayerScanner upper = new LayerScanner();
        upper.whiteout("/app/lib/commons-collections-3.2.1.jar");
        upper.opaque("/opt/old");
        file(
                upper,
                "/app/lib/log4j-core-2.14.1.jar",
                new TestJars()
                        .pom("org.apache.logging.log4j", "log4j-core", "2.17.1")
                        .build());
        ImageInventory inventory = ImageInventory.of(List.of(L1, L2), List.of(base.finish(), upper.finish()));
        assertEquals(List.of("log4j-core@/app/lib/log4j-core-2.14.1.jar"), names(inventory));
        ImageInventory.Found log4j = inventory.components().get(0);
        assertEquals("2.17.1", log4j.component().version(), "the upper layer's file replaces the lower one's");
        assertEquals(L2, log4j.layer());
    }

    @Test
    void aWhiteoutOfADirectoryRemovesEverythingUnderIt() throws IOException {
        LayerScanner base = new LayerScanner();
        file(base, "/srv/app/lib/x-1.0.jar", new TestJars().build());
        file(base, "/srv/application.jar", new TestJars().build());
        LayerScanner upper = new LayerScanner();
        upper.whiteout("/srv/app");
        ImageInventory inventory = ImageInventory.of(List.of(L1, L2), List.of(base.finish(), upper.finish()));
        assertEquals(List.of("application@/srv/application.jar"), names(inventory));
    }

    @Test
    void aSymbolicLinkOverAJarReplacesIt() throws IOException {
        LayerScanner base = new LayerScanner();
        file(base, "/app/app.jar", new TestJars().pom("com.example", "app", "1").build());
        LayerScanner upper = new LayerScanner();
        assertTrue(LayerScanner.wants("/app/app.jar"));
        upper.replaced("/app/app.jar");
        assertTrue(ImageInventory.of(List.of(L1, L2), List.of(base.finish(), upper.finish()))
                .components()
                .isEmpty());
    }

    @Test
    void debianPackagesTakeTheirLicencesFromMachineReadableCopyrightFiles() throws IOException {
        LayerScanner layer = new LayerScanner();
        file(
                layer,
                "/etc/os-release",
                "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"
                        .getBytes(StandardCharsets.UTF_8));
        file(
                layer,
                "/var/lib/dpkg/status",
                ("Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\n"
                                + "Source: zlib\nVersion: 1:1.2.13.dfsg-1\n\n")
                        .getBytes(StandardCharsets.UTF_8));
        file(
                layer,
                "/usr/share/doc/zlib1g/copyright",
                ("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                                + "Upstream-Name: zlib\n\nFiles: *\nCopyright: 1995-2022 Jean-loup Gailly and Mark Adler\nLicense: Zlib\n"
                                + " This software is provided 'as-is'.\n")
                        .getBytes(StandardCharsets.UTF_8));
        ImageInventory inventory = ImageInventory.of(List.of(L1), List.of(layer.finish()));
        FoundComponent zlib = inventory.components().get(0).component();
        assertEquals(List.of("Zlib"), zlib.licences());
        assertEquals("debian", inventory.osRelease().get("ID"));
        assertFalse(LayerScanner.wants("/usr/share/doc/zlib1g/changelog.gz"));
        assertFalse(LayerScanner.wants("/var/lib/dpkg/status.d/zlib1g.md5sums"));
        assertFalse(LayerScanner.wants("/usr/lib/jvm/temurin-21/lib/jrt-fs.jar"));
    }
}
