package dev.inlay.runtime;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bypass suite (docs/SECURITY.md): application code tries to get around enforcement — swapping the bridge's
 * checks, exempting its thread, reflection, private lookups and sun.misc.Unsafe into the agent, system properties,
 * other threads, pools, virtual threads and class loaders — and every attempt must end in a SecurityException while a
 * denied file stays denied.
 */
class BypassIT {
    static final List<String> ATTEMPTS = List.of(
            "install-permissive-checks",
            "exempt-own-thread",
            "exempt-own-thread-without-key",
            "steal-key-from-agent-thread",
            "reflection-on-bridge-field",
            "private-lookup-into-bridge",
            "unsafe-write-to-bridge-field",
            "lookalike-offset-nulls-checks",
            "unsafe-override-then-field-set",
            "thread-locals-busy-flag",
            "application-code-inside-a-check",
            "system-property-mode-off",
            "common-fork-join-pool",
            "racing-threads",
            "custom-class-loader",
            "still-enforced-after-all");

    @TempDir
    Path work;

    /** Open options decided on one reading of the Set and opened with another: the bridge decides on its own copy. */
    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void openOptionsThatLieToContainsStillOpenOnlyWhatWasDecided(int jdk) throws Exception {
        Path config = Files.createDirectories(work.resolve("config")).resolve("app.yml");
        Files.writeString(config, "original");
        Path policy = policy(
                "options",
                "enforce",
                true,
                "  files:",
                "    - {id: read-only-config, action: deny, operations: [write, create, delete]," + " paths: [\""
                        + config.getParent() + "/**\"]}");
        AgentRun run = AgentRun.run(
                jdk, "mode=enforce,policy=" + policy, Map.of(), "dev.inlay.probe.LyingOpenOptions", config.toString());
        assertEquals(0, run.exitCode, run.describe());
        for (String way : List.of("Files.newByteChannel", "FileChannel.open")) {
            assertTrue(run.stdout.stream().anyMatch(l -> l.startsWith(way + " BLOCKED")), way + "\n" + run.describe());
        }
        assertEquals("original", Files.readString(config), "JDK " + jdk);
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void everyAttemptIsBlockedAndEnforcementHolds(int jdk) throws Exception {
        Path denied = Files.createDirectories(work.resolve("denied")).resolve("secret.txt");
        Files.writeString(denied, "secret");
        // Unsafe and reflection allowed, as for a library that needs them: what that code can then write must not
        // switch enforcement off.
        Path policy = policy(
                "bypass",
                "enforce",
                true,
                "  files:",
                "    - {id: secrets, action: deny, paths: [\"" + denied.getParent() + "/**\"]}");
        AgentRun run = AgentRun.run(
                jdk, "mode=enforce,policy=" + policy, Map.of(), "dev.inlay.probe.Bypass", denied.toString());
        Map<String, String> outcomes = outcomes(run);
        List<String> expected = new java.util.ArrayList<>(ATTEMPTS);
        if (jdk >= 21) expected.add("virtual-thread");
        for (String attempt : expected) {
            String outcome = outcomes.get(attempt);
            assertTrue(
                    outcome != null && outcome.startsWith("BLOCKED"), attempt + ": " + outcome + "\n" + run.describe());
        }
        assertEquals(expected.size(), outcomes.size(), run.describe());
        assertEquals(0, run.exitCode, run.describe());
        // Each write was noticed by the bridge at its next call: denied, and reported as tampering.
        for (String attempt :
                List.of("lookalike-offset-nulls-checks", "unsafe-override-then-field-set", "thread-locals-busy-flag")) {
            assertTrue(outcomes.get(attempt).contains("tampering detected"), attempt + ": " + outcomes.get(attempt));
        }
        for (String what : List.of("bridge", "thread")) {
            assertTrue(
                    run.of("event").stream()
                            .anyMatch(e -> e.path("category").asText().equals("tamper")
                                    && e.path("operation").asText().equals(what)
                                    && e.path("blocked").asBoolean()),
                    "a tamper event for the " + what + "\n" + run.describe());
        }
    }

    /**
     * The capabilities the policy governs, with a policy that allows every other operation (files, native
     * libraries: the attach files and library) but no capability: obtaining Unsafe three ways, a second agent's
     * Instrumentation restoring the JDK's bytes, retransforming and redefining, setAccessible into the JDK's opened
     * internals, and self-attach with
     * {@code jdk.attach.allowAttachSelf} on. Each is denied as a capability, with an event.
     */
    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void capabilitiesAreDeniedWhereThePolicyDoesNotAllowThem(int jdk) throws Exception {
        Path denied = Files.createDirectories(work.resolve("denied")).resolve("secret.txt");
        Files.writeString(denied, "secret");
        Path policy = policy(
                "capabilities",
                "enforce",
                false,
                "  files:",
                "    - {id: secrets, action: deny, paths: [\"" + denied.getParent() + "/**\"]}");
        Path second = secondAgent();
        List<String> command = new java.util.ArrayList<>(List.of(
                AgentRun.java(jdk).toString(),
                "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + "=mode=enforce,policy=" + policy,
                "-javaagent:" + second,
                "-Djdk.attach.allowAttachSelf=true",
                "-cp",
                AgentRun.testClasses().toString(),
                "dev.inlay.probe.Bypass",
                denied.toString(),
                "capabilities"));
        AgentRun run = AgentRun.exec(command, Map.of());
        Map<String, String> outcomes = outcomes(run);
        List<String> expected = List.of(
                "unsafe-the-unsafe-field",
                "unsafe-reflection-factory",
                "unsafe-private-lookup",
                "reflect-into-jdk-internals",
                "second-agent-restores-original-bytes",
                "second-agent-retransform",
                "second-agent-redefine",
                "self-attach");
        for (String attempt : expected) {
            String outcome = outcomes.get(attempt);
            assertTrue(
                    outcome != null && outcome.startsWith("BLOCKED inlay: capability "),
                    attempt + ": " + outcome + "\n" + run.describe());
        }
        assertTrue(outcomes.get("still-enforced-after-all").startsWith("BLOCKED"), run.describe());
        assertEquals(expected.size() + 1, outcomes.size(), run.describe());
        assertEquals(0, run.exitCode, run.describe());
        for (String operation : List.of("unsafe", "reflect", "instrument", "attach")) {
            assertTrue(
                    run.of("event").stream()
                            .anyMatch(e -> e.path("category").asText().equals("capability")
                                    && e.path("operation").asText().equals(operation)
                                    && e.path("blocked").asBoolean()
                                    && e.path("resource")
                                            .asText()
                                            .equals(AgentRun.testClasses().toString())),
                    "a capability event for " + operation + "\n" + run.describe());
        }
    }

    /**
     * A second agent the policy allows the instrument capability (as for an APM agent) registers a transformer after
     * inlay's that hands back the JDK's own bytes of a hooked class, and retransforms it: inlay's transformer sees
     * the retransformation, and in enforce mode the JVM halts with a tamper event before the class is used unhooked.
     */
    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void aHookedClassRetransformedByAnAllowedAgentHaltsInEnforceMode(int jdk) throws Exception {
        Path denied = Files.createDirectories(work.resolve("denied")).resolve("secret.txt");
        Files.writeString(denied, "secret");
        Path policy = policy(
                "instrument",
                "enforce",
                false,
                "  files:",
                "    - {id: secrets, action: deny, paths: [\"" + denied.getParent() + "/**\"]}",
                "  capabilities:",
                "    - {id: second-agent, action: allow, operations: [instrument], callers: [\""
                        + AgentRun.testClasses() + "\"]}");
        List<String> command = new java.util.ArrayList<>(List.of(
                AgentRun.java(jdk).toString(),
                "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + "=mode=enforce,policy=" + policy,
                "-javaagent:" + secondAgent(),
                "-cp",
                AgentRun.testClasses().toString(),
                "dev.inlay.probe.Bypass",
                denied.toString(),
                "retransform"));
        AgentRun run = AgentRun.exec(command, Map.of());
        assertEquals(Map.of(), outcomes(run), "halted before the attempt could read: " + run.describe());
        assertEquals(137, run.exitCode, run.describe());
        // The halt waits at most 500 ms for the sink; on a busy machine the event is on stderr instead (EVENTS.md).
        assertTrue(
                run.ofIncludingStderrFallback("event").stream()
                        .anyMatch(e -> e.path("category").asText().equals("tamper")
                                && e.path("operation").asText().equals("retransform")
                                && e.path("resource").asText().startsWith("java.io.FileInputStream ")),
                run.describe());
    }

    /**
     * In monitor mode the same retransformation is reported, not blocked, and the application runs on. (The class
     * keeps the bytes the other agent's transformer chose: it runs after inlay's, and inlay cannot hook it again.)
     */
    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void aHookedClassRetransformedByAnAllowedAgentIsReportedInMonitorMode(int jdk) throws Exception {
        Path denied = Files.createDirectories(work.resolve("denied")).resolve("secret.txt");
        Files.writeString(denied, "secret");
        Path policy = policy(
                "instrument",
                "monitor",
                false,
                "  files:",
                "    - {id: secrets, action: deny, paths: [\"" + denied.getParent() + "/**\"]}",
                "  capabilities:",
                "    - {id: second-agent, action: allow, operations: [instrument], callers: [\""
                        + AgentRun.testClasses() + "\"]}");
        List<String> command = new java.util.ArrayList<>(List.of(
                AgentRun.java(jdk).toString(),
                "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + "=mode=monitor,policy=" + policy,
                "-javaagent:" + secondAgent(),
                "-cp",
                AgentRun.testClasses().toString(),
                "dev.inlay.probe.Bypass",
                denied.toString(),
                "retransform"));
        AgentRun run = AgentRun.exec(command, Map.of());
        assertEquals(0, run.exitCode, run.describe());
        assertTrue(
                run.of("event").stream()
                        .anyMatch(e -> e.path("category").asText().equals("tamper")
                                && e.path("operation").asText().equals("retransform")
                                && !e.path("blocked").asBoolean()
                                && e.path("resource").asText().startsWith("java.io.FileInputStream ")),
                run.describe());
    }

    /**
     * Several coordinated Unsafe writes change every copy of the bridge's state at once, which the bridge itself takes
     * for "not installed yet": the agent's watch notices within a second, reports, and in enforce mode halts.
     */
    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void everyCopyOfTheBridgeStateChangedHaltsInEnforceMode(int jdk) throws Exception {
        Path denied = Files.createDirectories(work.resolve("denied")).resolve("secret.txt");
        Files.writeString(denied, "secret");
        Path policy = policy(
                "every-copy",
                "enforce",
                true,
                "  files:",
                "    - {id: secrets, action: deny, paths: [\"" + denied.getParent() + "/**\"]}");
        AgentRun run = AgentRun.run(
                jdk,
                "mode=enforce,policy=" + policy,
                Map.of(),
                "dev.inlay.probe.Bypass",
                denied.toString(),
                "every-copy");
        // Halted while the attempt was reading (or, after the watch put the state back, denied just before).
        String outcome = outcomes(run).get("every-copy-of-the-bridge-state");
        assertTrue(outcome == null || outcome.startsWith("BLOCKED"), run.describe());
        assertEquals(137, run.exitCode, run.describe());
        // The halt waits at most 500 ms for the sink; on a busy machine the event is on stderr instead (EVENTS.md).
        assertTrue(
                run.ofIncludingStderrFallback("event").stream()
                        .anyMatch(e -> e.path("category").asText().equals("tamper")
                                && e.path("operation").asText().equals("bridge")
                                && e.path("resource").asText().contains("state was changed")),
                run.describe());
    }

    /** An agent jar whose premain keeps its Instrumentation for the application (SecondAgent, on the class path). */
    private Path secondAgent() throws Exception {
        Path second = work.resolve("second-agent.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "dev.inlay.probe.SecondAgent");
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        manifest.getMainAttributes().putValue("Can-Redefine-Classes", "true");
        try (java.util.jar.JarOutputStream jar =
                new java.util.jar.JarOutputStream(Files.newOutputStream(second), manifest)) {
            jar.flush(); // the class itself is on the class path (test classes)
        }
        return second;
    }

    /**
     * A policy allowing every category (capabilities too when {@code capabilities}) but for the rule sections given,
     * one YAML line each ({@code "  files:"}, {@code "    - {...}"}).
     */
    private Path policy(String name, String mode, boolean capabilities, String... sections) throws java.io.IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "apiVersion: inlay.dev/v1",
                "kind: Policy",
                "metadata: {name: " + name + "}",
                "spec:",
                "  mode: " + mode,
                "  defaults: {files: allow, network: allow, dns: allow, processes: allow, nativeLibraries: allow,"
                        + " jndi: allow, deserialization: allow, classDefinition: allow, drift: allow"
                        + (capabilities ? ", capabilities: allow}" : "}")));
        lines.addAll(List.of(sections));
        lines.add("");
        return Files.writeString(work.resolve("policy.yaml"), String.join("\n", lines));
    }

    private static Map<String, String> outcomes(AgentRun run) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String line : run.stdout) {
            if (!line.startsWith("BYPASS ")) continue;
            String[] parts = line.split(" ", 3);
            outcomes.put(parts[1], parts[2]);
        }
        return outcomes;
    }
}
