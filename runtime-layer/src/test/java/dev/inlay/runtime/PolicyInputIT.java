package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and half-written policy files against the packaged agent in real JVMs: limits at startup in every mode,
 * and reloads that act only on complete content (docs/POLICY.md, "Limits" and "Changing a policy file").
 */
class PolicyInputIT {
    @TempDir
    Path work;

    private static final String HEAD = "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: live}\nspec:\n"
            + "  mode: enforce\n  defaults: {files: allow, network: allow, dns: allow, processes: allow,"
            + " nativeLibraries: allow, jndi: allow, deserialization: allow, classDefinition: allow, drift: allow}\n"
            + "  files:\n";

    /** A policy whose last rule (only) decides the probe's reads of denied/a.txt. */
    private String policy(String lastAction, int otherRules) throws Exception {
        Path denied = Files.createDirectories(work.resolve("denied"));
        Files.writeString(denied.resolve("a.txt"), "a");
        StringBuilder y = new StringBuilder(HEAD);
        for (int i = 0; i < otherRules; i++) {
            y.append("    - {id: other-")
                    .append(i)
                    .append(", action: deny, paths: [\"/nonexistent/")
                    .append(i)
                    .append("/**\"]}\n");
        }
        y.append("    - {id: probe-files, action: ")
                .append(lastAction)
                .append(", paths: [\"")
                .append(denied)
                .append("/**\"]}\n");
        return y.toString();
    }

    private static String deep() {
        return HEAD.replace("  files:\n", "") + "  files: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
    }

    @Test
    void aPolicyNested10000LevelsDeepStopsTheJvmWith78InEveryModeUnlessFailOpen() throws Exception {
        Path deep = Files.writeString(work.resolve("deep.yaml"), deep());
        for (int jdk : List.of(17, 25)) {
            for (String mode : List.of("enforce", "monitor", "learn")) {
                AgentRun run = AgentRun.run(
                        jdk,
                        "",
                        Map.of("INLAY_POLICY", deep.toString(), "INLAY_MODE", mode),
                        "dev.inlay.probe.Probe",
                        work.toString(),
                        "40000",
                        "isolation");
                String what = "JDK " + jdk + ", " + mode + ": " + run.describe();
                assertEquals(AgentInstaller.EXIT_NO_POLICY, run.exitCode, what);
                assertTrue(run.stderr.contains(deep + ":7:72: nested more than 64 levels deep"), what);
                assertFalse(run.stderr.contains("\tat "), "no stack trace: " + what);
                assertTrue(run.probes.isEmpty(), "the application never ran: " + what);
            }
            AgentRun open = AgentRun.run(
                    jdk,
                    "",
                    Map.of("INLAY_POLICY", deep.toString(), "INLAY_MODE", "monitor", "INLAY_FAIL_OPEN", "true"),
                    "dev.inlay.probe.Probe",
                    work.toString(),
                    "40000",
                    "isolation");
            assertEquals(0, open.exitCode, open.describe());
            JsonNode started = open.of("status").get(0);
            assertEquals("learn", started.path("mode").asText(), started.toString());
            assertTrue(
                    started.path("problem").asText().contains("nested more than 64 levels deep"), started.toString());
        }
    }

    @Test
    void aReloadToADeeplyNestedFileWritesAFailureLineAndKeepsThePolicy() throws Exception {
        Path p = Files.writeString(work.resolve("live.yaml"), policy("deny", 0));
        try (Live live = new Live(p, 200)) {
            live.await("PROBE loop-read DENIED");
            Files.writeString(p, deep());
            String failed = live.await("\"status\":\"policy-reload-failed\"");
            assertTrue(failed.contains("nested more than 64 levels deep"), failed);
            int after = live.lines.size();
            live.awaitAfter(after, "PROBE loop-read DENIED");
        }
    }

    @Test
    void aChangeThatKeepsSizeAndModificationTimeIsPickedUp() throws Exception {
        String deny = policy("deny", 0);
        String allow = policy("allow", 0);
        // cp -p, rsync -t: other content of the same size, with the old modification time
        deny = deny + "#" + " ".repeat(allow.length() - deny.length()) + "\n";
        allow = allow + "#\n";
        assertEquals(deny.length(), allow.length());
        Path p = Files.writeString(work.resolve("live.yaml"), deny);
        FileTime mtime = FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() - 60_000);
        Files.setLastModifiedTime(p, mtime);
        try (Live live = new Live(p, 200)) {
            live.await("PROBE loop-read DENIED");
            Files.writeString(p, allow);
            Files.setLastModifiedTime(p, mtime);
            assertEquals(deny.length(), Files.size(p));
            String reloaded = live.await("\"status\":\"policy-reloaded\"");
            assertTrue(reloaded.contains(sha256(allow)), reloaded);
            live.awaitAfter(live.lines.indexOf(reloaded), "PROBE loop-read OK");
        }
    }

    /**
     * A writer rewrites the file in place (truncate, then one rule per write) while the agent polls every 200 ms.
     * Most of what a poll can read meanwhile is a valid policy with fewer rules, without the deny of the probe's
     * reads; none of it may be activated: the only reload is of the new complete content.
     */
    @Test
    void aPolicyRewrittenInPlaceIsNeverActivatedHalfWritten() throws Exception {
        String deny = policy("deny", 60);
        Path p = Files.writeString(work.resolve("live.yaml"), deny);
        try (Live live = new Live(p, 200)) {
            live.await("PROBE loop-read DENIED");
            for (int rewrite = 0; rewrite < 6; rewrite++) {
                rewriteInPlace(p, deny);
                Thread.sleep(300);
            }
            String allow = policy("allow", 60);
            rewriteInPlace(p, allow);
            String reloaded = live.await("\"status\":\"policy-reloaded\"");
            live.awaitAfter(live.lines.indexOf(reloaded), "PROBE loop-read OK");
            List<String> reloads = new ArrayList<>();
            for (String line : live.lines) if (line.contains("\"status\":\"policy-reload")) reloads.add(line);
            assertEquals(
                    1,
                    reloads.size(),
                    "only the complete new policy, once (the old one is " + sha256(deny) + "): " + reloads);
            assertTrue(reloads.get(0).contains("\"policyDigest\":\"" + sha256(allow) + "\""), reloads.get(0));
        }
    }

    private static void rewriteInPlace(Path file, String content) throws Exception {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (String line : content.split("(?<=\n)")) {
                out.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                if (line.startsWith("    - ")) Thread.sleep(4);
            }
        }
    }

    private static String sha256(String text) throws Exception {
        return "sha256:"
                + java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The probe reading denied/a.txt every 200 ms for 20 s under the agent, its output collected line by line. */
    private final class Live implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Process process;

        Live(Path policy, int pollMillis) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(
                    AgentRun.java(17).toString(),
                    "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + "=policyPoll=" + pollMillis
                            + ",eventWindow=100",
                    "-cp",
                    AgentRun.testClasses().toString(),
                    "dev.inlay.probe.Probe",
                    work.toString(),
                    "40000",
                    "loop-read");
            pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_") || k.equals("JAVA_TOOL_OPTIONS"));
            pb.environment().put("INLAY_POLICY", policy.toString());
            pb.redirectErrorStream(true);
            process = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) lines.add(line);
                } catch (Exception ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String await(String text) throws InterruptedException {
            return awaitAfter(0, text);
        }

        /** The first line from index {@code from} on that contains {@code text}; a generous bound catches hangs only. */
        String awaitAfter(int from, String text) throws InterruptedException {
            long end = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < end) {
                for (int i = Math.max(0, from); i < lines.size(); i++)
                    if (lines.get(i).contains(text)) return lines.get(i);
                Thread.sleep(50);
            }
            throw new AssertionError(
                    "no line with " + text + " after line " + from + " in:\n" + String.join("\n", lines));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
