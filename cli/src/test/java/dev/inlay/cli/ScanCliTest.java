package dev.inlay.cli;

import dev.inlay.instrumenter.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inlay scan} and {@code inlay db} through the real root: registered, and with docs/CLI.md's exit codes. */
class ScanCliTest {
    @TempDir
    Path tmp;

    private Path sbom(String log4jVersion) throws IOException {
        return Files.writeString(
                tmp.resolve("sbom-" + log4jVersion + ".cdx.json"), """
                {"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[
                 {"type":"library","bom-ref":"log4j-core","group":"org.apache.logging.log4j","name":"log4j-core","version":"%s",
                  "purl":"pkg:maven/org.apache.logging.log4j/log4j-core@%s"}]}
                """.formatted(log4jVersion, log4jVersion));
    }

    /** GHSA-jfh8-c2jp-5v3q (CVE-2021-44228) as OSV publishes it, trimmed. */
    private Path db() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("db"));
        Files.writeString(dir.resolve("GHSA-jfh8-c2jp-5v3q.json"), """
                {"id":"GHSA-jfh8-c2jp-5v3q","aliases":["CVE-2021-44228"],"summary":"Remote code injection in Log4j",
                 "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
                 "affected":[{"package":{"ecosystem":"Maven","name":"org.apache.logging.log4j:log4j-core"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.13.0"},{"fixed":"2.15.0"}]}]},
                  {"package":{"ecosystem":"Maven","name":"org.apache.logging.log4j:log4j-core"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0-beta9"},{"fixed":"2.3.1"}]}]},
                  {"package":{"ecosystem":"Maven","name":"org.apache.logging.log4j:log4j-core"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.4.0"},{"fixed":"2.12.2"}]}]}],
                 "database_specific":{"severity":"CRITICAL"}}
                """);
        return dir;
    }

    @Test
    void theGateTripsOnTheVulnerableVersionOnly() throws IOException {
        Path db = db();
        Cli.Result vulnerable =
                Cli.run("scan", sbom("2.14.1").toString(), "--db", db.toString(), "--fail-on", "critical");
        assertEquals(1, vulnerable.exitCode(), vulnerable.toString());
        assertTrue(vulnerable.out().contains("CVE-2021-44228"), vulnerable.toString());
        Cli.Result fixed = Cli.run("scan", sbom("2.17.1").toString(), "--db", db.toString(), "--fail-on", "critical");
        assertEquals(0, fixed.exitCode(), fixed.toString());
        assertEquals("", fixed.out());
    }

    @Test
    void exitCodesAndOneLineErrors() throws IOException {
        Path db = db();
        Path missing = tmp.resolve("missing.cdx.json");
        Cli.Result noFile = Cli.run("scan", missing.toString(), "--db", db.toString());
        assertEquals(4, noFile.exitCode(), noFile.toString());
        assertEquals("inlay: no such file or directory: " + missing + "\n", noFile.err());

        Path ignores = Files.writeString(tmp.resolve("ignores.yaml"), "- id: CVE-2021-44228\n");
        Cli.Result noReason =
                Cli.run("scan", sbom("2.14.1").toString(), "--db", db.toString(), "--ignore-file", ignores.toString());
        assertEquals(3, noReason.exitCode(), noReason.toString());
        assertEquals(
                "inlay: " + ignores + " entry 1: the ignore of CVE-2021-44228 has no reason (each ignore needs one)\n",
                noReason.err());

        Cli.Result usage = Cli.run("scan", sbom("2.14.1").toString(), "--db", db.toString(), "--fail-on", "severe");
        assertEquals(2, usage.exitCode(), usage.toString());
        assertTrue(usage.err().startsWith("inlay: Invalid value for option '--fail-on'"), usage.err());

        Cli.Result fetch = Cli.run(
                "db",
                "fetch",
                "--ecosystem",
                "Maven",
                "--into",
                tmp.resolve("osv").toString(),
                "--url",
                "ftp://x");
        assertEquals(2, fetch.exitCode(), fetch.toString());
    }

    @Test
    void theRootListsTheCommands() {
        Cli.Result help = Cli.run("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("  scan "), help.out());
        assertTrue(help.out().contains("  db "), help.out());
    }
}
