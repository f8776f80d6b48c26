package dev.inlay.scanner.gate;

import dev.inlay.scanner.vuln.AdvisoryDatabase;
import dev.inlay.scanner.vuln.Finding;
import dev.inlay.scanner.vuln.Fixtures;
import dev.inlay.scanner.vuln.Scan;
import dev.inlay.scanner.vuln.ScanResult;
import dev.inlay.scanner.vuln.Severity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GateTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);
    private static ScanResult scan;

    @BeforeAll
    static void scan() throws Exception {
        try (AdvisoryDatabase db = AdvisoryDatabase.open(Fixtures.osvDirectory())) {
            scan = Scan.of(Fixtures.docservice(), db);
        }
    }

    private static List<String> blocking(Verdict v) {
        return v.blocking().stream().map(Finding::id).toList();
    }

    @Test
    void thresholdsCountFromTheTop() {
        assertEquals(
                List.of("CVE-2015-7501", "CVE-2021-44228", "CVE-2021-45046"),
                blocking(new Gate(Severity.CRITICAL, List.of(), Set.of(), TODAY).judge(scan)));
        assertEquals(
                3,
                new Gate(Severity.HIGH, List.of(), Set.of(), TODAY)
                        .judge(scan)
                        .blocking()
                        .size());
        // Medium adds the two medium log4j findings; the Debian finding of unknown severity trips no threshold.
        Verdict medium = new Gate(Severity.MEDIUM, List.of(), Set.of(), TODAY).judge(scan);
        assertEquals(5, medium.blocking().size());
        assertFalse(medium.blocking().stream().anyMatch(f -> f.id().equals("DEBIAN-CVE-2023-4911")));
        assertTrue(medium.tripped());
        Verdict none = new Gate(null, List.of(), Set.of(), TODAY).judge(scan);
        assertFalse(none.tripped());
    }

    @Test
    void anIgnoreCoversAFindingByAnyOfItsIdsThroughItsDay() {
        Ignore byAlias = new Ignore(
                "GHSA-jfh8-c2jp-5v3q", "JNDI lookups disabled by -Dlog4j2.formatMsgNoLookups", TODAY, "test");
        Ignore byCve = new Ignore("CVE-2021-45046", "not reachable: no Thread Context lookups", null, "test");
        Ignore cc = new Ignore("CVE-2015-7501", "no deserialization of untrusted data", null, "test");
        Verdict v = new Gate(Severity.CRITICAL, List.of(byAlias, byCve, cc), Set.of(), TODAY).judge(scan);
        assertEquals(List.of(), blocking(v));
        assertFalse(v.tripped());
        assertEquals(3, v.ignored().size());
        assertEquals(List.of(), v.expired());
    }

    @Test
    void anExpiredIgnoreNoLongerAppliesAndSaysSo() {
        Ignore old = new Ignore("CVE-2021-44228", "waiting for the 2.15.0 upgrade", TODAY.minusDays(1), "test");
        Verdict v = new Gate(Severity.CRITICAL, List.of(old), Set.of(), TODAY).judge(scan);
        assertTrue(blocking(v).contains("CVE-2021-44228"));
        assertEquals(List.of(old), v.expired());
        assertEquals(List.of(), v.ignored());
    }

    @Test
    void anIgnoreThatMatchesNothingIsReported() {
        Ignore stray = new Ignore("CVE-1999-0001", "old", null, "test");
        assertEquals(
                List.of(stray),
                new Gate(Severity.CRITICAL, List.of(stray), Set.of(), TODAY)
                        .judge(scan)
                        .unused());
    }

    @Test
    void anIgnoreWithoutAReasonIsRefused() {
        GateInputException e =
                assertThrows(GateInputException.class, () -> new Ignore("CVE-2021-44228", " ", null, "f entry 1"));
        assertEquals("f entry 1: the ignore of CVE-2021-44228 has no reason (each ignore needs one)", e.getMessage());
    }

    @Test
    void deniedLicences() {
        Verdict v = new Gate(null, List.of(), Set.of("GPL-3.0-or-later"), TODAY).judge(scan);
        assertTrue(v.tripped());
        assertEquals(1, v.licences().size());
        assertEquals("bash", v.licences().get(0).component().name());
        // An AND expression is denied by one of its ids, case-insensitively.
        Verdict and = new Gate(null, List.of(), Set.of("gpl-2.0-or-later"), TODAY).judge(scan);
        assertEquals(
                List.of("libc6"),
                and.licences().stream().map(l -> l.component().name()).toList());
        assertFalse(new Gate(null, List.of(), Set.of("MIT"), TODAY).judge(scan).tripped());
    }

    @Test
    void licenceExpressions() {
        Set<String> gpl = Set.of("gpl-3.0-only");
        assertEquals("GPL-3.0-only", Licences.denied("GPL-3.0-only", gpl));
        assertNull(Licences.denied("MIT OR GPL-3.0-only", gpl), "a choice with an allowed alternative");
        assertEquals("GPL-3.0-only", Licences.denied("(GPL-3.0-only OR GPL-3.0-only+) AND MIT", gpl));
        assertEquals("GPL-3.0-only", Licences.denied("GPL-3.0-only WITH Classpath-exception-2.0", gpl));
        assertNull(Licences.denied("(MIT AND GPL-3.0-only) OR Apache-2.0", gpl));
        assertEquals("GPL-3.0-only", Licences.denied("(MIT AND GPL-3.0-only) or (BSD-3-Clause AND GPL-3.0-only)", gpl));
    }

    @Test
    void ignoreFilesInYamlAndJson(@TempDir Path tmp) throws Exception {
        Path yaml = Files.writeString(tmp.resolve("ignores.yaml"), """
                ignores:
                  - id: CVE-2021-44228
                    reason: patched by the vendor's rebuild
                    until: 2027-01-31
                  - id: CVE-2015-7501
                    reason: "no ObjectInputStream on untrusted input"
                """);
        List<Ignore> read = IgnoreFile.read(yaml);
        assertEquals(2, read.size());
        assertEquals(LocalDate.of(2027, 1, 31), read.get(0).until());
        assertNull(read.get(1).until());
        Path json = Files.writeString(tmp.resolve("ignores.json"), "[{\"id\":\"CVE-2015-7501\",\"reason\":\"r\"}]");
        assertEquals("CVE-2015-7501", IgnoreFile.read(json).get(0).id());

        Path noReason = Files.writeString(tmp.resolve("bad.yaml"), "- id: CVE-2021-44228\n");
        GateInputException e = assertThrows(GateInputException.class, () -> IgnoreFile.read(noReason));
        assertEquals(
                noReason + " entry 1: the ignore of CVE-2021-44228 has no reason (each ignore needs one)",
                e.getMessage());
        Path badDate = Files.writeString(tmp.resolve("bad.yaml"), "- {id: X, reason: r, until: next week}\n");
        assertThrows(GateInputException.class, () -> IgnoreFile.read(badDate));
        Path unknownKey = Files.writeString(tmp.resolve("bad.yaml"), "- {id: X, reason: r, expires: 2027-01-01}\n");
        e = assertThrows(GateInputException.class, () -> IgnoreFile.read(unknownKey));
        assertTrue(e.getMessage().contains("unknown key 'expires'"), e.getMessage());
    }
}
