package dev.inlay.cli.profiler;

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
        return Files.writeString(
                dir.resolve("p.jsonl"),
                String.join(
                                "\n",
                                Docs.profile(
                                        "r1",
                                        0,
                                        "web-1",
                                        "2026-11-23T17:02:00.000Z",
                                        Docs.behavior(
                                                "file",
                                                "read",
                                                "/a",
                                                1,
                                                "2026-11-23T17:01:00.000Z",
                                                "2026-11-23T17:01:00.000Z")),
                                Docs.profile(
                                        "r1",
                                        1,
                                        "web-1",
                                        "2026-11-23T19:02:00.000Z",
                                        Docs.behavior(
                                                "file",
                                                "read",
                                                "/a",
                                                1,
                                                "2026-11-23T19:01:00.000Z",
                                                "2026-11-23T19:01:00.000Z"),
                                        Docs.behavior(
                                                "dns",
                                                "resolve",
                                                "db.internal",
                                                1,
                                                "2026-11-23T17:30:00.000Z",
                                                "2026-11-23T17:30:00.000Z")),
                                Docs.profile(
                                        "r2",
                                        0,
                                        "web-2",
                                        "2026-11-23T18:00:00.000Z",
                                        Docs.behavior(
                                                "file",
                                                "read",
                                                "/a",
                                                1,
                                                "2026-11-23T17:59:00.000Z",
                                                "2026-11-23T17:59:00.000Z")))
                        + "\n");
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
        assertEquals(
                0,
                CliRun.run(new ProfileCommand(), "stats", p.toString(), "--require-quiet", "90m", "--min-runs", "2")
                        .code());
        CliRun notQuiet = CliRun.run(new ProfileCommand(), "stats", p.toString(), "--require-quiet", "2h");
        assertEquals(1, notQuiet.code(), notQuiet.toString());
        assertTrue(notQuiet.out().contains("NOT MET: quiet for 92m, required 2h"), notQuiet.out());
        assertEquals(
                1,
                CliRun.run(new ProfileCommand(), "stats", p.toString(), "--min-runs", "3")
                        .code());
        // a bad option value is a bad command line (docs/CLI.md), like --min-runs x or --mode sometimes
        assertEquals(
                2,
                CliRun.run(new ProfileCommand(), "stats", p.toString(), "--require-quiet", "a while")
                        .code());
        assertEquals(0, CliRun.run(new ProfileCommand(), "stats", "--help").code());
    }

    /**
     * An agent that hit its cap writes the cumulative count of what it could not record into its documents
     * ({@code notRecorded}): the largest per run counts, runs add up, a merged profile keeps the total, and the
     * completeness gate fails on it even when quiet enough.
     */
    @Test
    void behaviorsTheAgentCouldNotRecordFailTheGate() throws IOException {
        String b = Docs.behavior("file", "read", "/a", 1, "2026-11-23T17:00:00.000Z", "2026-11-23T17:00:00.000Z");
        Path p = dir.resolve("lossy.jsonl");
        Files.writeString(
                p,
                String.join(
                                "\n",
                                Docs.profile("r1", 0, "web-1", "2026-11-23T18:00:00.000Z", b)
                                        .replace("\"behaviors\"", "\"notRecorded\":5,\"behaviors\""),
                                Docs.profile("r1", 1, "web-1", "2026-11-23T19:00:00.000Z")
                                        .replace("\"behaviors\"", "\"notRecorded\":7,\"behaviors\""),
                                Docs.profile("r2", 0, "web-2", "2026-11-23T19:00:00.000Z", b)
                                        .replace("\"behaviors\"", "\"notRecorded\":3,\"behaviors\""))
                        + "\n");
        CliRun quiet = CliRun.run(new ProfileCommand(), "stats", p.toString(), "--require-quiet", "1h");
        assertEquals(1, quiet.code(), quiet.toString());
        assertTrue(quiet.out().contains("INCOMPLETE:         10 operations not recorded"), quiet.out());
        assertTrue(quiet.out().contains("NOT MET: incomplete: 10 operations not recorded"), quiet.out());
        assertEquals(
                1,
                CliRun.run(new ProfileCommand(), "stats", p.toString(), "--min-runs", "1")
                        .code());
        assertEquals(0, CliRun.run(new ProfileCommand(), "stats", p.toString()).code(), "no gate asked for");

        Path merged = dir.resolve("merged.jsonl");
        assertEquals(
                0,
                CliRun.run(new ProfileCommand(), "merge", p.toString(), "-o", merged.toString())
                        .code());
        CliRun fromMerged = CliRun.run(new ProfileCommand(), "stats", merged.toString(), "--min-runs", "1");
        assertEquals(1, fromMerged.code(), fromMerged.toString());
        assertTrue(fromMerged.out().contains("NOT MET: incomplete: 10 operations"), fromMerged.out());
        // per run in the merged document: merging it again with the same runs' documents counts each run once
        CliRun again = CliRun.run(new ProfileCommand(), "stats", merged.toString(), p.toString(), "--min-runs", "1");
        assertTrue(again.out().contains("INCOMPLETE:         10 operations not recorded"), again.out());

        CliRun generate = CliRun.run(new PolicyCommand(), "generate", p.toString());
        assertEquals(0, generate.code(), generate.toString());
        assertTrue(generate.err().contains("warning: the profile is incomplete: 10 operations"), generate.err());
        assertTrue(generate.out().contains("# WARNING: the profile is incomplete"), generate.out());
    }

    /** Documents lost on the way (a failing sink): a gap in a run's seq numbers, or a missing chunk. */
    @Test
    void documentsMissingFromARunFailTheGate() throws IOException {
        String b = Docs.behavior("file", "read", "/a", 1, "2026-11-23T17:00:00.000Z", "2026-11-23T17:00:00.000Z");
        String chunk0of3 =
                Docs.profile("r1", 4, "web-1", "2026-11-23T19:00:00.000Z", b).replace("\"chunks\":1", "\"chunks\":3");
        String chunk2of3 = chunk0of3.replace("\"chunk\":0", "\"chunk\":2");
        Path p = dir.resolve("gaps.jsonl");
        Files.writeString(
                p,
                String.join(
                                "\n",
                                Docs.profile("r1", 0, "web-1", "2026-11-23T17:00:00.000Z", b),
                                Docs.profile("r1", 2, "web-1", "2026-11-23T18:00:00.000Z", b),
                                chunk0of3,
                                chunk2of3)
                        + "\n");
        CliRun r = CliRun.run(new ProfileCommand(), "stats", p.toString(), "--min-runs", "1");
        assertEquals(1, r.code(), r.toString());
        // seq 1 and 3 never arrived, and chunk 1 of seq 4
        assertTrue(r.out().contains("INCOMPLETE:         3 profile documents missing"), r.out());
        assertTrue(r.out().contains("NOT MET: incomplete: 0 operations not recorded, 3 documents missing"), r.out());
        CliRun generate = CliRun.run(new PolicyCommand(), "generate", p.toString());
        assertTrue(generate.err().contains("3 profile documents are missing"), generate.toString());
        assertEquals(
                0,
                CliRun.run(new ProfileCommand(), "stats", profiles().toString(), "--min-runs", "2")
                        .code(),
                "no gap, no failure");
    }
}
