package dev.inlay.instrumenter.admission;

import dev.inlay.scanner.gate.ScanVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdict files the ship phase writes: every way a file can be wrong is a failed verdict, never a pass or "none". */
class ScanVerdictDirectoryTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    private Optional<ScanVerdict> withFile(String content) throws Exception {
        Files.writeString(dir.resolve("sha256-" + "ab".repeat(32) + ".json"), content);
        return new ScanVerdictDirectory(dir).forDigest(DIGEST);
    }

    private static String verdict(String rest) {
        return "{\"apiVersion\":\"inlay.dev/v1\",\"kind\":\"ScanVerdict\",\"digest\":\"" + DIGEST + "\"" + rest + "}";
    }

    @Test
    void aPassAFailureAndNoFile() throws Exception {
        assertEquals(Optional.empty(), new ScanVerdictDirectory(dir).forDigest(DIGEST));
        ScanVerdict passed = withFile(verdict(
                        ",\"passed\":true,\"reasons\":[],\"image\":\"x\",\"scannedAt\":\"2026-12-06T03:00:00Z\""))
                .orElseThrow();
        assertTrue(passed.passed());
        ScanVerdict failed = withFile(verdict(",\"passed\":false,\"reasons\":[\"CVE-1\",\"CVE-2\"]"))
                .orElseThrow();
        assertFalse(failed.passed());
        assertEquals(List.of("CVE-1", "CVE-2"), failed.reasons());
        ScanVerdict noReason = withFile(verdict(",\"passed\":false")).orElseThrow();
        assertEquals(List.of("the scan gate failed (no reason recorded)"), noReason.reasons());
    }

    @Test
    void everyMalformedFileIsAFailedVerdictThatSaysWhy() throws Exception {
        String[][] cases = {
            {"", "malformed"},
            {"[]", "not a JSON object"},
            {verdict(",\"passed\":\"yes\""), "\"passed\" must be true or false"},
            {verdict(""), "\"passed\" must be true or false"},
            {verdict(",\"passed\":true,\"reasons\":\"none\""), "\"reasons\" must be a list of strings"},
            {verdict(",\"passed\":false,\"reasons\":[1]"), "\"reasons\" must be a list of strings"},
            {
                "{\"apiVersion\":\"inlay.dev/v2\",\"kind\":\"ScanVerdict\",\"digest\":\"" + DIGEST
                        + "\",\"passed\":true}",
                "apiVersion must be inlay.dev/v1"
            },
            {verdict(",\"passed\":true,\"passed\":false"), "Duplicate field 'passed'"},
            {"{\"apiVersion\":\"inlay.dev/v1\",\"kind\":\"ScanVerdict\",\"passed\":true}", "\"digest\" is null"},
            {
                verdict(",\"passed\":true,\"padding\":\"" + "x".repeat(ScanVerdictDirectory.MAX_FILE_BYTES) + "\""),
                "is larger than"
            },
        };
        for (String[] c : cases) {
            ScanVerdict v = withFile(c[0]).orElseThrow();
            assertFalse(v.passed(), c[0].length() > 200 ? c[1] : c[0]);
            assertTrue(v.reasons().get(0).contains(c[1]), c[1] + " in " + v.reasons());
        }
    }

    @Test
    void aDigestThatIsNotSha256NeverBecomesAPath() throws Exception {
        Files.writeString(dir.resolve("secret.json"), verdict(",\"passed\":true"));
        for (String bad : List.of("sha256:../secret", "sha256:" + "AB".repeat(32), "sha512:" + "ab".repeat(64), "")) {
            ScanVerdict v = new ScanVerdictDirectory(dir).forDigest(bad).orElseThrow();
            assertFalse(v.passed(), bad);
            assertTrue(
                    v.reasons().get(0).startsWith("not a sha256 digest"),
                    v.reasons().toString());
        }
    }
}
