package dev.inlay.scanner.vuln;

import org.cyclonedx.model.Bom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The docservice's SBOM (log4j-core 2.14.1, commons-collections 3.2.1, bookworm's glibc) against real advisory facts. */
class ScanTest {
    private static ScanResult result;

    @BeforeAll
    static void scan() throws Exception {
        try (AdvisoryDatabase db = AdvisoryDatabase.open(Fixtures.osvDirectory())) {
            result = Scan.of(Fixtures.docservice(), db);
        }
    }

    private static Map<String, List<Finding>> byComponent() {
        return result.findings().stream()
                .collect(Collectors.groupingBy(f -> f.component().bomRef()));
    }

    @Test
    void log4jCore2141HasTheFourLog4ShellAdvisoriesEachOnce() {
        List<Finding> log4j = byComponent().get("log4j-core");
        assertEquals(
                List.of("CVE-2021-44228", "CVE-2021-45046", "CVE-2021-44832", "CVE-2021-45105"),
                log4j.stream().map(Finding::id).toList());
        Finding log4shell = log4j.get(0);
        // The GHSA record and the CVE-keyed record are aliases: one finding with both ids.
        assertEquals(List.of("CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q"), log4shell.ids());
        assertEquals(Severity.CRITICAL, log4shell.severity());
        assertEquals(10.0, log4shell.rating().score());
        assertEquals("CVSS_V3", log4shell.rating().source());
        // Only the upgrades: 2.3.1 and 2.12.2 fix older lines, not 2.14.1.
        assertEquals(List.of("2.15.0"), log4shell.fixed());
        assertEquals(List.of("2.16.0"), log4j.get(1).fixed());
        assertEquals("Maven", log4shell.ecosystem());
        assertEquals("org.apache.logging.log4j:log4j-core", log4shell.name());
        Finding f45046 = log4j.get(1);
        assertEquals(9.0, f45046.rating().score());
        assertEquals(List.of("CVE-2021-45046", "GHSA-7rjr-3q55-vv33"), f45046.ids());
        assertEquals(Severity.MEDIUM, log4j.get(2).severity());
        assertEquals(6.6, log4j.get(2).rating().score());
        assertEquals(5.9, log4j.get(3).rating().score());
    }

    @Test
    void aVersionJustPastEveryFixIsNotReported() {
        // log4j-core 2.17.1 (nested in the application) is past the fixed version of all four advisories.
        assertNull(byComponent().get("app/log4j-core"));
        assertTrue(
                result.components().stream().anyMatch(c -> "app/log4j-core".equals(c.bomRef())),
                "the nested jar was scanned");
        assertNull(byComponent().get("log4j-api"));
    }

    @Test
    void withdrawnRecordsAreIgnored() {
        assertFalse(result.findings().stream().anyMatch(f -> f.knownAs("INLAY-TEST-WITHDRAWN-1")));
    }

    @Test
    void commonsCollections321() {
        List<Finding> cc = byComponent().get("commons-collections");
        assertEquals(1, cc.size());
        assertEquals(List.of("CVE-2015-7501", "GHSA-fjq5-5j5f-mvxh"), cc.get(0).ids());
        assertEquals(9.8, cc.get(0).rating().score());
        assertEquals(List.of("3.2.2"), cc.get(0).fixed());
    }

    @Test
    void debianBinaryPackageMatchesItsSourcePackageInItsRelease() {
        List<Finding> libc = byComponent().get("libc6");
        assertEquals(1, libc.size());
        Finding f = libc.get(0);
        assertEquals("DEBIAN-CVE-2023-4911", f.id());
        assertEquals(List.of("CVE-2023-4911"), f.related());
        assertTrue(f.knownAs("CVE-2023-4911"));
        assertEquals("Debian:12", f.ecosystem());
        assertEquals("glibc", f.name());
        assertEquals(List.of("2.36-9+deb12u3"), f.fixed());
        // Debian's records carry no severity: reported as unknown, never guessed.
        assertEquals(Severity.UNKNOWN, f.severity());
    }

    @Test
    void componentsThatCannotBeLookedUpAreSaidSo() {
        assertEquals(List.of("mystery.jar: no package URL"), result.notLookedUp());
        assertEquals(List.of(), result.problems());
        assertEquals(7, result.advisories(), "seven fixture records, the withdrawn one left out");
    }

    @Test
    void theFixedDebianVersionAndLaterAreClean() throws Exception {
        String sbom = """
                {"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[
                 {"type":"library","bom-ref":"a","name":"libc6","version":"2.36-9+deb12u3",
                  "purl":"pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64&distro=debian-12&upstream=glibc"},
                 {"type":"library","bom-ref":"b","name":"libc6","version":"2.36-9+deb12u10",
                  "purl":"pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=bookworm&upstream=glibc"},
                 {"type":"library","bom-ref":"c","name":"libc6","version":"2.36-9",
                  "purl":"pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12.1&upstream=glibc"},
                 {"type":"library","bom-ref":"d","name":"libc6","version":"2.31-13+deb11u6",
                  "purl":"pkg:deb/debian/libc6@2.31-13%2Bdeb11u6?arch=amd64&distro=debian-11&upstream=glibc"}]}
                """;
        Bom bom = new org.cyclonedx.parsers.JsonParser().parse(sbom.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (AdvisoryDatabase db = AdvisoryDatabase.open(Fixtures.osvDirectory())) {
            ScanResult r = Scan.of(bom, db);
            assertEquals(
                    List.of("c"),
                    r.findings().stream().map(f -> f.component().bomRef()).toList());
        }
    }
}
