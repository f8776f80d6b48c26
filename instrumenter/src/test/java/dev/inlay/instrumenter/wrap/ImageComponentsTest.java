package dev.inlay.instrumenter.wrap;

import dev.inlay.model.ComponentMap;
import dev.inlay.scanner.inventory.ImageInventory;
import dev.inlay.scanner.inventory.LayerScanner;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The component map wrap writes into the layer (docs/COVERAGE.md, "Attribution"): jars of a class path, jars nested
 * in a Spring Boot jar at the location the agent derives from their code source, a shaded jar as itself only.
 */
class ImageComponentsTest {
    @Test
    void eachIdentifiedJarIsMappedToItsPackageUrlAtTheAgentsLocation() throws IOException {
        LayerScanner layer = new LayerScanner();
        add(
                layer,
                "/app/lib/log4j-core-2.14.1.jar",
                jar(Map.of(
                        pom("org.apache.logging.log4j", "log4j-core"),
                        props("org.apache.logging.log4j", "log4j-core", "2.14.1"))));
        add(layer, "/app/lib/unknown.jar", jar(Map.of("a/B.class", new byte[] {1})));
        add(
                layer,
                "/app/docservice.jar",
                jar(Map.of(
                        pom("commons-collections", "commons-collections"),
                        props("commons-collections", "commons-collections", "3.2.1"),
                        pom("org.apache.logging.log4j", "log4j-api"),
                        props("org.apache.logging.log4j", "log4j-api", "2.14.1"))));
        add(
                layer,
                "/app/app.jar",
                jar(Map.of(
                        "BOOT-INF/lib/h2-2.2.224.jar",
                        jar(Map.of(pom("com.h2database", "h2"), props("com.h2database", "h2", "2.2.224"))),
                        "BOOT-INF/classes/x/App.class",
                        new byte[] {1})));
        Map<String, String> map =
                ImageComponents.map(ImageInventory.of(List.of("sha256:layer"), List.of(layer.finish())));
        assertEquals(
                Map.of(
                        "/app/lib/log4j-core-2.14.1.jar", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                        "/app/app.jar/!BOOT-INF/lib/h2-2.2.224.jar", "pkg:maven/com.h2database/h2@2.2.224"),
                map);
        // What the agent reads back is what wrap wrote.
        assertEquals(map, ComponentMap.read(new BufferedReader(new StringReader(ComponentMap.write(map)))));
    }

    private static void add(LayerScanner layer, String path, byte[] content) throws IOException {
        layer.file(path, content.length, new ByteArrayInputStream(content));
    }

    private static String pom(String group, String artifact) {
        return "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    }

    private static byte[] props(String group, String artifact, String version) {
        return ("groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] jar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
