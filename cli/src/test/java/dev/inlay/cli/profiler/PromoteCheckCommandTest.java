package dev.inlay.cli.profiler;

import dev.inlay.profiler.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inlay policy promote-check}: the gate on a candidate's shadow evidence (docs/DEPLOY.md, docs/CLI.md). */
class PromoteCheckCommandTest {
    @TempDir
    Path dir;

    private static final String CANDIDATE = "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: next}\nspec:\n"
            + "  files:\n"
            + "    - {id: app, operations: [read], paths: [\"/app/**\"]}\n"
            + "    - {id: config, operations: [read], paths: [\"/etc/app.conf\"]}\n"
            + "    - {id: no-shadow, action: deny, paths: [\"/etc/shadow\"]}\n";

    private Path candidate() throws Exception {
        return Files.writeString(dir.resolve("next.yaml"), CANDIDATE);
    }

    private static String digest(String text) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes()));
    }

    private static String hits(String digest, String run, int seq, String hits) {
        return "{\"inlay\":\"shadow-hits\",\"schema\":1,\"agent\":\"0.1.0\",\"run\":\"" + run + "\",\"seq\":" + seq
                + ",\"chunk\":0,\"chunks\":1,\"time\":\"2026-12-06T10:00:00.000Z\",\"policy\":\"next\",\"policyDigest\":\""
                + digest + "\",\"final\":false,\"hits\":{" + hits + "}}";
    }

    private static String shadow(
            String digest, String resource, String currentAction, String currentRule, String phase) {
        return "{\"inlay\":\"shadow\",\"time\":\"2026-12-06T10:00:01.000Z\",\"agent\":\"0.1.0\",\"run\":\"r1\","
                + "\"mode\":\"enforce\",\"action\":\"deny\",\"severity\":\"medium\",\"message\":\"file read " + resource
                + " would be denied by rule default/files of the candidate policy\",\"category\":\"file\","
                + "\"operation\":\"read\",\"resource\":\"" + resource
                + "\",\"rule\":\"default/files\",\"policy\":{\"name\":"
                + "\"next\",\"digest\":\"" + digest + "\"},\"current\":{\"action\":\"" + currentAction
                + "\",\"rule\":\""
                + currentRule + "\",\"policy\":{\"name\":\"now\",\"digest\":\"sha256:00\"}},\"phase\":\"" + phase
                + "\",\"count\":2,\"pid\":7,\"thread\":\"main\",\"workload\":{\"hostname\":\"h\"}}";
    }

    private Path events(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    private static CliRun check(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "promote-check";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(new PolicyCommand(), all);
    }

    @Test
    void everyRuleExercisedAndNothingDeniedIsClear() throws Exception {
        Path c = candidate();
        String d = digest(CANDIDATE);
        // kubectl logs --timestamps prefixes, application lines between, and the same file twice: counted once
        Path log = events(
                "pod.log",
                "2026-12-06T10:00:00Z " + hits(d, "r1", 0, "\"app\":40,\"default/files\":2"),
                "app: serving",
                "2026-12-06T10:00:30Z " + hits(d, "r1", 1, "\"config\":1"),
                shadow(d, "/etc/shadow", "deny", "default/files", "run"));
        CliRun r = check(c.toString(), log.toString(), log.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("candidate next (" + d + "): 1 runs, 43 decisions"), r.out());
        assertTrue(r.out().contains("not blocking: denied now too: file read /etc/shadow"), r.out());
        assertTrue(r.out().contains("not blocking: guard without hits: files/no-shadow"), r.out());
        assertTrue(r.out().contains("clear to promote"), r.out());
    }

    @Test
    void aDenialOfWhatIsAllowedNowBlocks() throws Exception {
        Path c = candidate();
        String d = digest(CANDIDATE);
        Path log = events(
                "a.log",
                hits(d, "r1", 0, "\"app\":4,\"config\":1,\"default/files\":1"),
                shadow(d, "/data/report.csv", "allow", "data", "startup"),
                shadow(d, "/data/report.csv", "allow", "data", "run"));
        CliRun r = check(c.toString(), log.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(
                r.out()
                        .contains("blocks: would deny file read /data/report.csv: deny by candidate rule default/files;"
                                + " now allow by rule data (4x, phase run/startup)"),
                r.out());
        assertTrue(r.out().contains("promotion blocked: 1 denials, 0 unexercised rules"), r.out());

        CliRun json = check(c.toString(), log.toString(), "--json");
        assertEquals(1, json.code(), json.toString());
        com.fasterxml.jackson.databind.JsonNode root =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals(false, root.path("clear").asBoolean(true), json.out());
        assertEquals(d, root.path("digest").asText(), json.out());
        assertEquals(6, root.path("decisions").asLong(), json.out());
        com.fasterxml.jackson.databind.JsonNode blocking = root.path("blocking").get(0);
        assertEquals("/data/report.csv", blocking.path("resource").asText(), json.out());
        assertEquals("allow", blocking.path("currentAction").asText(), json.out());
        assertEquals("[\"run\",\"startup\"]", blocking.path("phases").toString(), json.out());
        assertEquals(4, blocking.path("count").asLong(), json.out());
        assertEquals("[\"files/no-shadow\"]", root.path("guards").toString(), json.out());
    }

    @Test
    void anUnexercisedRuleBlocksUntilAcceptedByName() throws Exception {
        Path c = candidate();
        String d = digest(CANDIDATE);
        Path log = events("b.log", hits(d, "r1", 0, "\"app\":4"), hits(d, "r2", 0, "\"app\":1"));
        CliRun r = check(c.toString(), log.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("candidate next (" + d + "): 2 runs, 5 decisions"), r.out());
        assertTrue(
                r.out().contains("blocks: never exercised: files/config (accept with --allow-unused config)"), r.out());

        CliRun accepted = check(c.toString(), log.toString(), "--allow-unused", "config");
        assertEquals(0, accepted.code(), accepted.toString());
        assertTrue(accepted.out().contains("accepted: never exercised: files/config (--allow-unused)"), accepted.out());

        CliRun unknown = check(c.toString(), log.toString(), "--allow-unused", "confg");
        assertEquals(2, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("no rule of that id"), unknown.err());
    }

    @Test
    void noEvidenceOfThisCandidateIsBadInput() throws Exception {
        Path c = candidate();
        Path none = events("none.log", "{\"inlay\":\"event\",\"action\":\"deny\"}", "hello");
        CliRun r = check(c.toString(), none.toString());
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("no shadow-hits lines of this candidate"), r.err());

        // Evidence of another version of the candidate does not count for this one.
        Path other = events("other.log", hits(digest(CANDIDATE + "# v2\n"), "r1", 0, "\"app\":4,\"config\":1"));
        CliRun stale = check(c.toString(), other.toString());
        assertEquals(3, stale.code(), stale.toString());
        assertTrue(stale.err().contains("other candidates: " + digest(CANDIDATE + "# v2\n")), stale.err());

        Path broken = Files.writeString(
                dir.resolve("broken.yaml"),
                "apiVersion: inlay.dev/v1\nkind: Policy\n"
                        + "metadata: {name: x}\nspec:\n  files:\n    - {id: a, paths: [relative]}\n");
        CliRun bad = check(broken.toString(), other.toString());
        assertEquals(3, bad.code(), bad.toString());
        assertTrue(bad.err().contains("broken.yaml:"), bad.err());

        CliRun missing = check(c.toString(), dir.resolve("missing.log").toString());
        assertEquals(4, missing.code(), missing.toString());
        assertFalse(missing.out().contains("clear"), missing.out());
    }
}
