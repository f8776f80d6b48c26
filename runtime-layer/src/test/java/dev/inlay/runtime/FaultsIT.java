package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults (docs/SECURITY.md): a sink that is down, closed or full never blocks or crashes the application; many
 * threads lose no distinct behavior; memory stays bounded by the behavior cap; a kill -9 loses at most one snapshot
 * interval.
 */
class FaultsIT {
    @TempDir
    Path work;

    private AgentRun load(String agentArgs, int threads, int files) throws Exception {
        return AgentRun.run(
                17,
                agentArgs,
                Map.of(),
                "dev.inlay.probe.Faults",
                Integer.toString(threads),
                Integer.toString(files),
                work.resolve("files").toString());
    }

    private static Set<String> learnedFiles(List<JsonNode> profiles) {
        Set<String> out = new HashSet<>();
        for (JsonNode p : profiles) {
            for (JsonNode b : p.path("behaviors")) {
                if (b.path("resource").asText().contains("/files/t"))
                    out.add(b.path("resource").asText());
            }
        }
        return out;
    }

    @Test
    void manyThreadsLoseNoDistinctBehavior() throws Exception {
        // all 4,000 files are in one directory: no summary (docs/PROFILE.md), every path must be recorded exactly
        AgentRun run = load("mode=learn,maxPerDirectory=10000", 16, 250);
        assertEquals(0, run.exitCode, run.describe());
        assertEquals(16 * 250, learnedFiles(run.of("profile")).size(), "every distinct file read is in the profile");
    }

    @Test
    void theBehaviorCapBoundsMemoryAndCountsTheOverflow() throws Exception {
        AgentRun run = load("mode=learn,maxBehaviors=1000", 4, 1000);
        assertEquals(0, run.exitCode, run.describe());
        assertTrue(learnedFiles(run.of("profile")).size() <= 1000, "at most the cap");
        JsonNode stopped = run.of("status").stream()
                .filter(s -> s.path("status").asText().equals("stopped"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(run.describe()));
        assertTrue(stopped.path("overflow").asLong() >= 3000, "the overflow is counted: " + stopped);
    }

    @Test
    void anHttpSinkThatIsDownNeitherBlocksNorCrashes() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        AgentRun run = load("mode=learn,sink=http://127.0.0.1:" + closedPort + "/events", 4, 200);
        assertEquals(0, run.exitCode, run.describe());
        assertTrue(run.stdout.contains("DONE"), run.describe());
    }

    @Test
    void aFullDiskSinkNeitherBlocksNorCrashes() throws Exception {
        AgentRun run = load("mode=learn,sink=file:/dev/full", 4, 200);
        assertEquals(0, run.exitCode, run.describe());
        assertTrue(run.stdout.contains("DONE"), run.describe());
    }

    @Test
    void aClosedStdoutNeitherBlocksNorCrashes() throws Exception {
        Path marker = work.resolve("finished");
        // stdout closed before the JVM starts; the program's own "DONE" is lost too, so it leaves a marker file.
        String java = AgentRun.java(17).toString();
        String cmd = java + " -javaagent:" + AgentRun.agentJar().toAbsolutePath() + "=mode=learn -cp "
                + AgentRun.testClasses() + " dev.inlay.probe.Faults 4 200 " + work.resolve("files")
                + " >&- && touch " + marker;
        AgentRun run = AgentRun.exec(List.of("/bin/sh", "-c", cmd), Map.of());
        assertEquals(0, run.exitCode, run.describe());
        assertTrue(Files.exists(marker), run.describe());
    }

    @Test
    void killMinus9LosesAtMostOneSnapshotInterval() throws Exception {
        Path profiles = Files.createDirectories(work.resolve("profiles"));
        List<String> command = List.of(
                AgentRun.java(17).toString(),
                "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + "=mode=learn,profileInterval=1,profileDir="
                        + profiles,
                "-cp",
                AgentRun.testClasses().toString(),
                "dev.inlay.probe.Faults",
                "4",
                "100",
                work.resolve("files").toString(),
                "60000");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("out.txt").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(work.resolve("out.txt")).contains("DONE") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(2500); // more than one interval after the work: a snapshot with all of it is on disk
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook runs
            p.waitFor(30, TimeUnit.SECONDS);
        }
        List<JsonNode> docs = new java.util.ArrayList<>();
        try (var files = Files.list(profiles)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    try {
                        docs.add(AgentRun.JSON.readTree(line));
                    } catch (java.io.IOException partial) {
                        // a line cut by the kill is skipped, as the profiler does
                    }
                }
            }
        }
        assertEquals(400, learnedFiles(docs).size(), "the behaviors from before the last interval survived the kill");
        assertTrue(docs.stream().noneMatch(d -> d.path("final").asBoolean(false)), "no final snapshot after kill -9");
    }
}
