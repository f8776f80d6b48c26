package dev.inlay.scanner.sbom;

import dev.inlay.scanner.inventory.ImageInventory;
import dev.inlay.scanner.inventory.LayerScanner;
import dev.inlay.scanner.inventory.TestJars;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SbomWriterTest {
    private static final String LAYER = "sha256:" + "a".repeat(64);
    private static final String IMAGE = "sha256:" + "b".repeat(64);

    /** Validates with the CycloneDX library's own JSON schema; every SBOM this module writes goes through here in tests. */
    public static void assertValid(byte[] json) throws IOException {
        List<ParseException> errors = new JsonParser().validate(json, Version.VERSION_16);
        assertEquals(
                List.of(),
                errors.stream().map(Throwable::getMessage).toList(),
                new String(json, StandardCharsets.UTF_8));
    }

    static ImageInventory sample() throws IOException {
        LayerScanner s = new LayerScanner();
        add(s, "/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        add(
                s,
                "/var/lib/dpkg/status",
                "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nSource: glibc\nVersion: 2.36-9+deb12u10\n\n"
                        + "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b7\n");
        add(
                s,
                "/usr/share/doc/bash/copyright",
                "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
                        + "Files: *\nCopyright: FSF\nLicense: GPL-3+\n");
        add(s, "/usr/lib/jvm/java-17-openjdk-amd64/release", "IMPLEMENTOR=\"Debian\"\nJAVA_VERSION=\"17.0.13\"\n");
        byte[] log4j = new TestJars()
                .pom("org.apache.logging.log4j", "log4j-core", "2.14.1")
                .pomXmlLicence(
                        "org.apache.logging.log4j",
                        "log4j-core",
                        "Apache License, Version 2.0",
                        "https://www.apache.org/licenses/LICENSE-2.0.txt")
                .build();
        byte[] app = new TestJars()
                .storedNested()
                .pom("com.example", "shop", "1.4.0")
                .pom("com.google.guava", "guava", "31.1-jre")
                .nested("BOOT-INF/lib/log4j-core-2.14.1.jar", log4j)
                .nested("BOOT-INF/lib/commons-collections-3.2.1.jar", new TestJars().build())
                .build();
        s.file("/app/shop-1.4.0.jar", app.length, new ByteArrayInputStream(app));
        return ImageInventory.of(List.of(LAYER), List.of(s.finish()));
    }

    private static void add(LayerScanner s, String path, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.file(path, b.length, new ByteArrayInputStream(b));
    }

    @Test
    void writesValidDeterministicCycloneDx16() throws IOException {
        byte[] json = SbomWriter.json(SbomWriter.bom(sample(), IMAGE, "0.1.0"));
        assertValid(json);
        assertArrayEquals(json, SbomWriter.json(SbomWriter.bom(sample(), IMAGE, "0.1.0")), "same layers, same bytes");
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"specVersion\" : \"1.6\""), text);
        assertTrue(!text.contains("timestamp"), text);
        Bom again = SbomWriter.bom(sample(), "sha256:" + "c".repeat(64), "0.1.0");
        assertNotEquals(
                again.getSerialNumber(),
                SbomWriter.bom(sample(), IMAGE, "0.1.0").getSerialNumber());
    }

    @Test
    void everyComponentCarriesPurlLicencesAndEvidence() throws IOException {
        Bom bom = SbomWriter.bom(sample(), IMAGE, "0.1.0");
        Map<String, Component> byName =
                SbomWriter.walk(bom).stream().collect(Collectors.toMap(Component::getName, c -> c));
        assertEquals(
                "pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=debian-12&upstream=glibc",
                byName.get("libc6").getPurl());
        assertEquals(
                "pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64&distro=debian-12",
                byName.get("bash").getPurl());
        assertEquals(
                "GPL-3.0-or-later",
                byName.get("bash").getLicenses().getLicenses().get(0).getId());
        assertEquals("pkg:generic/openjdk@17.0.13", byName.get("openjdk").getPurl());
        assertEquals(
                "cpe:2.3:a:oracle:openjdk:17.0.13:*:*:*:*:*:*:*",
                byName.get("openjdk").getCpe());

        Component shop = byName.get("shop");
        assertEquals("pkg:maven/com.example/shop@1.4.0", shop.getPurl());
        assertEquals(
                List.of("guava", "commons-collections", "log4j-core"),
                shop.getComponents().stream().map(Component::getName).toList(),
                "nested under the jar that carries them, sorted by location");
        Component log4j = byName.get("log4j-core");
        assertEquals("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", log4j.getPurl());
        assertEquals("Apache-2.0", log4j.getLicenses().getLicenses().get(0).getId());
        assertEquals(1.0, log4j.getEvidence().getIdentities().get(0).getConfidence());
        assertEquals(
                "/app/shop-1.4.0.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar!/META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
                log4j.getEvidence().getIdentities().get(0).getMethods().get(0).getValue());
        assertEquals(
                "/app/shop-1.4.0.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar",
                log4j.getEvidence().getOccurrences().get(0).getLocation());
        assertEquals(
                Map.of(
                        "inlay:evidence",
                        "pom-properties",
                        "inlay:confidence",
                        "1.0",
                        "inlay:location",
                        "/app/shop-1.4.0.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar",
                        "inlay:layer",
                        LAYER),
                log4j.getProperties().stream().collect(Collectors.toMap(p -> p.getName(), p -> p.getValue())));

        Component nameless = byName.get("commons-collections");
        assertNull(nameless.getPurl(), "a jar known only by its file name has no group, so no Maven purl");
        assertEquals("3.2.1", nameless.getVersion());
        assertEquals(0.3, nameless.getEvidence().getIdentities().get(0).getConfidence());
        assertEquals("file-name", nameless.getProperties().get(0).getValue());
    }
}
