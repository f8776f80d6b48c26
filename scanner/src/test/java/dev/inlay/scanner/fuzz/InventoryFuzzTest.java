package dev.inlay.scanner.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.scanner.inventory.ImageInventory;
import dev.inlay.scanner.inventory.LayerScanner;
import dev.inlay.scanner.sbom.SbomWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hostile files where the inventory looks: jars (fuzzed bytes, or zips of fuzzed entries with pom.properties,
 * pom.xml, manifests and nested jars), dpkg status, apk installed, release, os-release and copyright files, with
 * whiteouts. Identification and the SBOM never throw, and the SBOM is JSON. Runs its saved inputs in every build;
 * scripts/fuzz.sh fuzzes for a bounded time.
 */
class InventoryFuzzTest {
    private static final List<String> PATHS = List.of(
            "/app/lib/x-1.0.jar",
            "/var/lib/dpkg/status",
            "/var/lib/dpkg/status.d/p",
            "/lib/apk/db/installed",
            "/opt/jdk/release",
            "/etc/os-release",
            "/usr/share/doc/p/copyright",
            "/app/app.war");
    private static final List<String> ENTRIES = List.of(
            "META-INF/maven/g/a/pom.properties",
            "META-INF/maven/g/a/pom.xml",
            "META-INF/MANIFEST.MF",
            "BOOT-INF/lib/y-2.jar",
            "WEB-INF/lib/z.jar",
            "a/B.class");
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "30s")
    void identifyHostileFiles(FuzzedDataProvider data) throws IOException {
        List<String> diffIds = List.of("sha256:" + "1".repeat(64), "sha256:" + "2".repeat(64));
        LayerScanner lower = new LayerScanner();
        LayerScanner upper = new LayerScanner();
        int files = data.consumeInt(0, 5);
        for (int i = 0; i < files; i++) {
            LayerScanner layer = data.consumeBoolean() ? lower : upper;
            String path = data.pickValue(PATHS);
            byte[] content = path.endsWith("ar") && data.consumeBoolean() ? zip(data, 0) : data.consumeBytes(512);
            layer.file(path, content.length, new ByteArrayInputStream(content));
        }
        if (data.consumeBoolean()) upper.whiteout(data.pickValue(PATHS));
        if (data.consumeBoolean()) upper.opaque("/app");
        ImageInventory inventory = ImageInventory.of(diffIds, List.of(lower.finish(), upper.finish()));
        byte[] json = SbomWriter.json(SbomWriter.bom(inventory, "sha256:" + "3".repeat(64), "0"));
        JSON.readTree(json);
    }

    private static byte[] zip(FuzzedDataProvider data, int depth) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            int entries = data.consumeInt(0, 4);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < entries; i++) {
                String name = data.consumeBoolean() ? data.pickValue(ENTRIES) : data.consumeString(30);
                if (name.isEmpty() || !seen.add(name)) continue;
                zip.putNextEntry(new ZipEntry(name));
                zip.write(
                        name.endsWith(".jar") && depth < 2 && data.consumeBoolean()
                                ? zip(data, depth + 1)
                                : data.consumeBytes(256));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
