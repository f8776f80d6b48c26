package dev.inlay.cli.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.inlay.scanner.vuln.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestCli.Run scan(String... args) {
        List<String> all = new ArrayList<>(List.of(
                Fixtures.docserviceSbom().toString(),
                "--db",
                Fixtures.osvDirectory().toString()));
        all.addAll(List.of(args));
        return TestCli.run(new ScanCommand(), all.toArray(String[]::new));
    }

    @Test
    void tableOnStdoutSummaryOnStderrExitZeroWithoutAGate() {
        TestCli.Run r = scan();
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("SEVERITY"), r.out());
        assertTrue(lines[1].startsWith("critical 9.8   CVE-2015-7501"), lines[1]);
        assertTrue(
                lines[2].matches("critical 10\\.0 +CVE-2021-44228 +GHSA-jfh8-c2jp-5v3q"
                        + " +org\\.apache\\.logging\\.log4j:log4j-core +2\\.14\\.1 +2\\.15\\.0"),
                lines[2]);
        assertEquals(7, lines.length, r.out());
        assertFalse(
                r.out().lines().anyMatch(l -> l.matches(".*log4j-core +2\\.17\\.1 .*")),
                "the fixed log4j-core is not reported");
        assertTrue(
                r.err()
                        .startsWith(
                                "6 vulnerabilities in 3 of 8 components (3 critical, 2 medium, 1 unknown), 7 advisories in "),
                r.err());
        assertTrue(r.err().contains("1 component not looked up:\n  mystery.jar: no package URL"), r.err());
        assertTrue(r.err().contains("mystery.jar: no package URL"), r.err());
    }

    @Test
    void failOnTripsTheGateWithExitOne() {
        TestCli.Run r = scan("--fail-on", "high");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("gate failed: 3 at or above high\n"), r.err());
        assertTrue(r.out().lines().filter(l -> l.endsWith("fails")).count() == 3, r.out());
    }

    @Test
    void ignoresOnTheCommandLineAndInAFileLetTheGatePass(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("ignores.yaml"), """
                - id: CVE-2021-45046
                  reason: no Thread Context lookups in our patterns
                - id: CVE-2015-7501
                  reason: no untrusted deserialization
                  until: 2999-12-31
                - id: CVE-2021-44832
                  reason: expired long ago
                  until: 2020-01-01
                """);
        TestCli.Run r = scan(
                "--fail-on",
                "critical",
                "--ignore-file",
                file.toString(),
                "--ignore",
                "GHSA-jfh8-c2jp-5v3q",
                "--reason",
                "formatMsgNoLookups set",
                "--until",
                "2999-01-01");
        assertEquals(0, r.exit(), r.err());
        assertTrue(
                r.err()
                        .contains("ignored CVE-2021-44228 in org.apache.logging.log4j:log4j-core 2.14.1:"
                                + " formatMsgNoLookups set (until 2999-01-01)"),
                r.err());
        assertTrue(
                r.err()
                        .contains("the ignore of CVE-2021-44832 (" + file
                                + " entry 3) expired on 2020-01-01 and no longer applies"),
                r.err());
        assertTrue(r.err().contains("gate passed"), r.err());
        // Without the command-line ignore the gate trips again.
        assertEquals(
                1,
                scan("--fail-on", "critical", "--ignore-file", file.toString()).exit());
    }

    @Test
    void anExpiredIgnoreTripsTheGateAgain() {
        TestCli.Run r = scan(
                "--fail-on",
                "critical",
                "--ignore",
                "CVE-2021-44228",
                "--reason",
                "r",
                "--until",
                "2020-01-01",
                "--ignore",
                "CVE-2021-45046",
                "--reason",
                "r",
                "--ignore",
                "CVE-2015-7501",
                "--reason",
                "r");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("expired on 2020-01-01"), r.err());
    }

    @Test
    void badInputsAndUsage(@TempDir Path tmp) throws Exception {
        Path noReason = Files.writeString(tmp.resolve("ignores.yaml"), "- id: CVE-2021-44228\n");
        TestCli.Run r = scan("--ignore-file", noReason.toString());
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("has no reason"), r.err());

        Path notSbom = Files.writeString(tmp.resolve("x.json"), "{\"hello\": 1");
        r = TestCli.run(
                new ScanCommand(),
                notSbom.toString(),
                "--db",
                Fixtures.osvDirectory().toString());
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("not a CycloneDX JSON SBOM"), r.err());

        r = TestCli.run(
                new ScanCommand(),
                tmp.resolve("missing.json").toString(),
                "--db",
                Fixtures.osvDirectory().toString());
        assertEquals(4, r.exit(), r.err());
        r = TestCli.run(
                new ScanCommand(),
                Fixtures.docserviceSbom().toString(),
                "--db",
                tmp.resolve("no-db").toString());
        assertEquals(4, r.exit(), r.err());

        assertEquals(2, scan("--fail-on", "severe").exit());
        assertEquals(2, scan("--ignore", "CVE-2021-44228").exit(), "--ignore without --reason");
        assertEquals(2, scan("--ignore", "CVE-2021-44228", "--reason", " ").exit(), "an empty --reason");
        assertEquals(
                2,
                scan("--ignore", "CVE-2021-44228", "--reason", "r", "--until", "tomorrow")
                        .exit());
        assertEquals(2, scan("--json", "--format", "sarif").exit());
    }

    @Test
    void jsonOutput(@TempDir Path tmp) throws Exception {
        TestCli.Run r = scan("--json", "--fail-on", "critical", "--deny-licence", "GPL-3.0-or-later");
        assertEquals(1, r.exit(), r.err());
        JsonNode root = JSON.readTree(r.out());
        assertEquals(6, root.get("findings").size());
        JsonNode first = root.get("findings").get(1);
        assertEquals("CVE-2021-44228", first.get("id").asText());
        assertEquals(
                "[\"CVE-2021-44228\",\"GHSA-jfh8-c2jp-5v3q\"]", first.get("ids").toString());
        assertEquals("critical", first.get("severity").asText());
        assertEquals(10.0, first.get("score").asDouble());
        assertEquals(
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                first.get("component").get("purl").asText());
        assertEquals("fails", first.get("gate").asText());
        assertTrue(root.get("gate").get("tripped").asBoolean());
        assertEquals(
                "bash",
                root.get("gate")
                        .get("licences")
                        .get(0)
                        .get("component")
                        .get("name")
                        .asText());
        // -o writes the same document to a file, nothing on stdout.
        Path out = tmp.resolve("scan.json");
        TestCli.Run toFile = scan("--json", "-o", out.toString());
        assertEquals(0, toFile.exit(), toFile.err());
        assertEquals("", toFile.out());
        assertEquals(6, JSON.readTree(Files.readString(out)).get("findings").size());
    }

    @Test
    void sarifValidatesAgainstTheOfficialSchema() throws Exception {
        TestCli.Run r = scan(
                "--format",
                "sarif",
                "--fail-on",
                "high",
                "--deny-licence",
                "GPL-3.0-or-later",
                "--ignore",
                "CVE-2015-7501",
                "--reason",
                "no untrusted deserialization");
        assertEquals(1, r.exit(), r.err());
        JsonNode sarif = JSON.readTree(r.out());
        JsonSchema schema;
        try (InputStream in = ScanCommandTest.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        Set<ValidationMessage> errors = schema.validate(sarif);
        assertEquals(Set.of(), errors, r.out());
        assertEquals("2.1.0", sarif.get("version").asText());
        JsonNode run = sarif.get("runs").get(0);
        assertEquals("inlay", run.get("tool").get("driver").get("name").asText());
        JsonNode results = run.get("results");
        assertEquals(7, results.size(), "six findings and one denied licence");
        JsonNode first = results.get(1);
        assertEquals("CVE-2021-44228", first.get("ruleId").asText());
        assertEquals("error", first.get("level").asText());
        assertEquals(
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                first.get("locations")
                        .get(0)
                        .get("logicalLocations")
                        .get(0)
                        .get("fullyQualifiedName")
                        .asText());
        JsonNode rule = run.get("tool").get("driver").get("rules").get(1);
        assertEquals("10.0", rule.get("properties").get("security-severity").asText());
        boolean suppressed = false;
        for (JsonNode res : results) {
            if (res.get("ruleId").asText().equals("CVE-2015-7501")) {
                assertEquals(
                        "external", res.get("suppressions").get(0).get("kind").asText());
                assertEquals(
                        "no untrusted deserialization",
                        res.get("suppressions").get(0).get("justification").asText());
                suppressed = true;
            }
        }
        assertTrue(suppressed, r.out());
        // The schema check itself bites: a result without its message is refused.
        ((com.fasterxml.jackson.databind.node.ObjectNode) first).remove("message");
        assertFalse(schema.validate(sarif).isEmpty());
    }
}
