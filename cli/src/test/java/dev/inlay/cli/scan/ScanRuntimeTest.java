package dev.inlay.cli.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.scanner.vuln.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code inlay scan --runtime}: the docservice's SBOM, whose jar shades log4j-core, log4j-api and commons-collections,
 * with a run in which log4j's packages were loaded from that jar and commons-collections' were not.
 */
class ScanRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fixture SBOM with the locations inlay sbom writes: the shaded jar, a fat jar and a jar inside it. */
    private static Path sbom(Path dir) throws Exception {
        ObjectNode bom = (ObjectNode) JSON.readTree(Fixtures.docserviceSbom().toFile());
        Map<String, String> locations = Map.of(
                "log4j-core", "/app/docservice.jar",
                "log4j-api", "/app/docservice.jar",
                "commons-collections", "/app/docservice.jar",
                "app", "/app/report.jar",
                "app/log4j-core", "/app/report.jar!/BOOT-INF/lib/log4j-core-2.17.1.jar");
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode c : bom.path("components")) {
            all.add(c);
            c.path("components").forEach(all::add);
        }
        for (JsonNode c : all) {
            String location = locations.get(c.path("bom-ref").asText());
            if (location == null) continue;
            ArrayNode props = ((ObjectNode) c).putArray("properties");
            props.addObject().put("name", "inlay:location").put("value", location);
            ((ObjectNode) c)
                    .putObject("evidence")
                    .putArray("occurrences")
                    .addObject()
                    .put("location", location);
        }
        return Files.write(dir.resolve("docservice.cdx.json"), JSON.writeValueAsBytes(bom));
    }

    private static TestCli.Run scan(Path sbom, String... args) {
        List<String> all = new ArrayList<>(
                List.of(sbom.toString(), "--db", Fixtures.osvDirectory().toString()));
        all.addAll(List.of(args));
        return TestCli.run(new ScanCommand(), all.toArray(String[]::new));
    }

    private static final String RUN = "2026-12-06T10:00:00Z stdout F "
            + "{\"inlay\":\"event\",\"decision\":\"allow\"}\n"
            // a snapshot, then the final lines in two chunks, as the agent writes them (with a log prefix)
            + "2026-12-06T10:00:01Z stdout F {\"inlay\":\"loaded\",\"schema\":1,\"agent\":\"0.1.0\",\"run\":\"r1\","
            + "\"seq\":0,\"chunk\":0,\"chunks\":1,\"final\":false,\"sources\":[{\"location\":\"/app/docservice.jar\","
            + "\"packages\":[\"org.apache.logging.log4j\"]}]}\n"
            + "2026-12-06T10:00:02Z stdout F {\"inlay\":\"loaded\",\"schema\":1,\"agent\":\"0.1.0\",\"run\":\"r1\","
            + "\"seq\":1,\"chunk\":0,\"chunks\":2,\"final\":true,\"sources\":[{\"location\":\"/app/docservice.jar\","
            + "\"packages\":[\"org.apache.logging.log4j\",\"org.apache.logging.log4j.core\","
            + "\"org.apache.logging.log4j.core.lookup\"]}]}\n"
            + "{\"inlay\":\"loaded\",\"schema\":1,\"agent\":\"0.1.0\",\"run\":\"r1\",\"seq\":1,\"chunk\":1,"
            + "\"chunks\":2,\"final\":true,\"sources\":[{\"location\":\"/app/report.jar!/BOOT-INF/classes\","
            + "\"packages\":[\"com.example.report\"]}]}\n";

    @Test
    void findingsSayWhetherTheirCodeWasLoadedLoadedFirst(@TempDir Path dir) throws Exception {
        Path sbom = sbom(dir);
        Path run = Files.writeString(dir.resolve("run.log"), RUN);

        TestCli.Run table = scan(sbom, "--runtime", run.toString());
        assertEquals(0, table.exit(), table.err());
        String[] lines = table.out().split("\n");
        assertTrue(lines[0].matches("LOADED +SEVERITY +ID .*"), table.out());
        // Without --runtime commons-collections' critical CVE-2015-7501 comes first; its code was never loaded.
        assertTrue(lines[1].matches("true +critical 10\\.0 +CVE-2021-44228 .*log4j-core +2\\.14\\.1.*"), lines[1]);
        assertTrue(lines[4].startsWith("true "), table.out());
        assertTrue(lines[5].matches("unknown .*libc6.*|unknown .*glibc.*"), table.out());
        assertTrue(lines[6].matches("false +critical 9\\.8 +CVE-2015-7501 .*commons-collections.*"), lines[6]);
        assertEquals(7, lines.length, table.out());

        TestCli.Run json = scan(sbom, "--runtime", run.toString(), "--json");
        assertEquals(0, json.exit(), json.err());
        List<String> loaded = new ArrayList<>();
        for (JsonNode f : JSON.readTree(json.out()).path("findings"))
            loaded.add(f.path("id").asText() + "=" + f.path("loaded").asText());
        assertEquals(
                List.of(
                        "CVE-2021-44228=true",
                        "CVE-2021-45046=true",
                        "CVE-2021-44832=true",
                        "CVE-2021-45105=true",
                        "DEBIAN-CVE-2023-4911=unknown",
                        "CVE-2015-7501=false"),
                loaded);

        TestCli.Run sarif = scan(sbom, "--runtime", run.toString(), "--format", "sarif");
        assertEquals(0, sarif.exit(), sarif.err());
        List<String> props = new ArrayList<>();
        for (JsonNode r : JSON.readTree(sarif.out()).path("runs").get(0).path("results"))
            props.add(r.path("ruleId").asText() + "="
                    + r.path("properties").path("inlay-loaded").asText());
        assertEquals(loaded, props);
    }

    @Test
    void aPackageNoComponentIsNamedAfterMakesItUnknownOnlyWhenItCouldBeThisComponents(@TempDir Path dir)
            throws Exception {
        Path sbom = sbom(dir);
        // A library the SBOM does not list (H2, shaded without Maven metadata, as in the real docservice.jar): its
        // packages cannot be commons-collections'.
        assertEquals("false", commonsCollections(sbom, dir, "org.h2.engine"));
        // A package no component is named after but that shares a word with commons-collections: it could be its.
        assertEquals("unknown", commonsCollections(sbom, dir, "com.example.shaded.collections4"));
    }

    private static String commonsCollections(Path sbom, Path dir, String otherPackage) throws Exception {
        Path run = Files.writeString(
                dir.resolve("run.log"),
                "{\"inlay\":\"loaded\",\"schema\":1,\"seq\":0,\"chunk\":0,\"chunks\":1,\"final\":true,\"sources\":"
                        + "[{\"location\":\"/app/docservice.jar\",\"packages\":[\"org.apache.logging.log4j.core\",\""
                        + otherPackage + "\"]}]}\n");
        TestCli.Run json = scan(sbom, "--runtime", run.toString(), "--json");
        assertEquals(0, json.exit(), json.err());
        String loaded = null;
        for (JsonNode f : JSON.readTree(json.out()).path("findings")) {
            if (f.path("id").asText().equals("CVE-2015-7501"))
                loaded = f.path("loaded").asText();
            if (f.path("id").asText().equals("CVE-2021-44228"))
                assertEquals("true", f.path("loaded").asText());
        }
        return loaded;
    }

    @Test
    void runtimeFilesThatAreNotOfThisImageOrNotCapturesAreRefused(@TempDir Path dir) throws Exception {
        Path sbom = sbom(dir);
        Path none = Files.writeString(dir.resolve("none.log"), "{\"inlay\":\"event\"}\nhello\n");
        TestCli.Run r = scan(sbom, "--runtime", none.toString());
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("none.log: no \"inlay\":\"loaded\" lines"), r.err());

        Path other = Files.writeString(
                dir.resolve("other.log"),
                "{\"inlay\":\"loaded\",\"final\":true,\"sources\":[{\"location\":\"/srv/other.jar\",\"packages\":[]}]}\n");
        r = scan(sbom, "--runtime", other.toString());
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("were they captured from this image?"), r.err());

        r = scan(sbom, "--runtime", dir.resolve("missing.log").toString());
        assertEquals(4, r.exit(), r.err());
    }
}
