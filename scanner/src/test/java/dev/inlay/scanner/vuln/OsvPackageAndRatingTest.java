package dev.inlay.scanner.vuln;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.cyclonedx.model.Bom;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** From an SBOM component to where OSV files it, and where a finding's severity comes from. */
class OsvPackageAndRatingTest {
    private static Object map(String componentJson, String osComponent) throws Exception {
        String sbom = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"version\":1,\"components\":["
                + componentJson + (osComponent == null ? "" : "," + osComponent) + "]}";
        Bom bom = new JsonParser().parse(sbom.getBytes(StandardCharsets.UTF_8));
        return OsvPackage.of(bom.getComponents().get(0), bom);
    }

    @Test
    void purlsMapToOsvEcosystemsAndSourcePackages() throws Exception {
        assertEquals(
                new OsvPackage("Maven", "org.yaml:snakeyaml", "1.33"),
                map(
                        "{\"type\":\"library\",\"name\":\"snakeyaml\",\"purl\":\"pkg:maven/org.yaml/snakeyaml@1.33\"}",
                        null));
        // Debian: the source package and version from the inventory's properties, the release from the codename.
        assertEquals(
                new OsvPackage("Debian:12", "openssl", "3.0.15-1~deb12u1"),
                map(
                        "{\"type\":\"library\",\"name\":\"libssl3\",\"purl\":\"pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=bookworm\","
                                + "\"properties\":[{\"name\":\"inlay:source\",\"value\":\"openssl\"}]}",
                        null));
        // The purl's upstream qualifier with a version (binNMU: the source version differs), the release from the OS
        // component.
        assertEquals(
                new OsvPackage("Debian:11", "zlib", "1:1.2.11.dfsg-2+deb11u2"),
                map(
                        "{\"type\":\"library\",\"name\":\"zlib1g\",\"purl\":\"pkg:deb/debian/zlib1g@1:1.2.11.dfsg-2%2Bdeb11u2%2Bb1"
                                + "?upstream=zlib%401:1.2.11.dfsg-2%2Bdeb11u2\"}",
                        "{\"type\":\"operating-system\",\"name\":\"debian\",\"version\":\"11.11\"}"));
        assertEquals(
                new OsvPackage("Alpine:v3.20", "openssl", "3.3.2-r1"),
                map(
                        "{\"type\":\"library\",\"name\":\"libcrypto3\",\"purl\":\"pkg:apk/alpine/libcrypto3@3.3.2-r1?arch=x86_64&distro=alpine-3.20.3\","
                                + "\"properties\":[{\"name\":\"inlay:origin\",\"value\":\"openssl\"}]}",
                        null));
    }

    @Test
    void whatCannotBeLookedUpSaysWhy() throws Exception {
        assertEquals("!no package URL", map("{\"type\":\"library\",\"name\":\"x.jar\"}", null));
        assertEquals(
                "!no Debian release in pkg:deb/debian/bash@5.2.15-2 (a distro qualifier) or in the SBOM's operating-system component",
                map("{\"type\":\"library\",\"name\":\"bash\",\"purl\":\"pkg:deb/debian/bash@5.2.15-2\"}", null));
        assertEquals(
                "!no advisories looked up for pkg:npm",
                map("{\"type\":\"library\",\"name\":\"left-pad\",\"purl\":\"pkg:npm/left-pad@1.3.0\"}", null));
        assertEquals(
                "!no version in pkg:maven/a/b",
                map("{\"type\":\"library\",\"name\":\"b\",\"purl\":\"pkg:maven/a/b\"}", null));
    }

    private static OsvRecord record(String json) throws Exception {
        return OsvRecord.from(new ObjectMapper().readTree(json), "test");
    }

    @Test
    void severityFromTheVectorThenTheDatabasesWord() throws Exception {
        OsvRecord v3 = record(
                "{\"id\":\"A\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
                        + "\"database_specific\":{\"severity\":\"LOW\"}}");
        assertEquals(
                new Rating(Severity.CRITICAL, 9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS_V3"),
                Rating.of(v3, null));
        // CVSS v4 is not scored: the database's word decides, the vector is kept.
        String v4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
        OsvRecord v4AndWord = record("{\"id\":\"B\",\"severity\":[{\"type\":\"CVSS_V4\",\"score\":\"" + v4 + "\"}],"
                + "\"database_specific\":{\"severity\":\"MODERATE\"}}");
        assertEquals(new Rating(Severity.MEDIUM, null, v4, "database"), Rating.of(v4AndWord, null));
        OsvRecord v4Only = record("{\"id\":\"C\",\"severity\":[{\"type\":\"CVSS_V4\",\"score\":\"" + v4 + "\"}]}");
        assertEquals(Severity.UNKNOWN, Rating.of(v4Only, null).severity());
        OsvRecord ubuntu = record("{\"id\":\"D\",\"severity\":[{\"type\":\"Ubuntu\",\"score\":\"high\"}]}");
        assertEquals(Severity.HIGH, Rating.of(ubuntu, null).severity());
        OsvRecord nothing = record("{\"id\":\"E\"}");
        assertEquals(Rating.UNRATED, Rating.of(nothing, null));
        assertNull(Rating.of(nothing, null).score());
    }
}
