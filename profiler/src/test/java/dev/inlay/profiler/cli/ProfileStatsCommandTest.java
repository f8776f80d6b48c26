package dev.inlay.profiler.cli;

import dev.inlay.profiler.CliRun;
import dev.inlay.profiler.Docs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileStatsCommandTest {
    @TempDir
    Path dir;

    Path profiles() throws IOException {
        return Files.writeString(dir.resolve("p.jsonl"), String.join("\n",
                Docs.profile("r1", 0, "web-1", "2026-11-23T17:02:00.000Z",
                        Docs.behavior("file", "read", "/a", 1, "2026-11-23T17:01:00.000Z", "2026-11-23T17:01:00.000Z")),
                Docs.profile("r1", 1, "web-1", "2026-11-23T19:02:00.000Z",
                        Docs.behavior("file", "read", "/a", 1, "2026-11-23T19:01:00.000Z", "2026-11-23T19:01:00.000Z"),
                        Docs.behavior("dns", "resolve", "db.internal", 1, "2026-11-23T17:30:00.000Z", "2026-11-23T17:30:00.000Z")),
                Docs.profile("r2", 0, "web-2", "2026-11-23T18:00:00.000Z",
                        Docs.behavior("file", "read", "/a", 1, "2026-11-23T17:59:00.000Z", "2026-11-23T17:59:00.000Z"))) + "\n");
    }

    @Test
    void reportsCompletenessAndGates() throws IOException {
        Path p = profiles();
        CliRun r = CliRun.run(new ProfileCommand(), "stats", p.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("distinct behaviors: 2"), r.out());
        assertTrue(r.out().contains("file:"), r.out());
        assertTrue(r.out().contains("runs:               2"), r.out());
        assertTrue(r.out().contains("replicas:           2"), r.out());
        // the newest new behavior (dns, first 17:30) to the newest document (19:02) is 92 minutes
        assertTrue(r.out().contains("quiet for:          92m"), r.out());
        assertEquals(0, CliRun.run(new ProfileCommand(), "stats", p.toString(), "--require-quiet", "90m", "--min-runs", "2").code());
        CliRun notQuiet = CliRun.run(new ProfileCommand(), "stats", p.toString(), "--require-quiet", "2h");
        assertEquals(1, notQuiet.code(), notQuiet.toString());
        assertTrue(notQuiet.out().contains("NOT MET: quiet for 92m, required 2h"), notQuiet.out());
        assertEquals(1, CliRun.run(new ProfileCommand(), "stats", p.toString(), "--min-runs", "3").code());
        // a bad option value is a bad command line (docs/CLI.md), like --min-runs x or --mode sometimes
        assertEquals(2, CliRun.run(new ProfileCommand(), "stats", p.toString(), "--require-quiet", "a while").code());
        assertEquals(0, CliRun.run(new ProfileCommand(), "stats", "--help").code());
    }
}
