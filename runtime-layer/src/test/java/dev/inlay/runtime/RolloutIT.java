package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 19, points 4 and 5, on real JVMs (JDK 17 and 25): a candidate policy evaluated beside the one in force
 * ({@code shadowPolicy}) reports what it would deny as {@code shadow} lines and its rule hits as {@code shadow-hits}
 * lines without changing any decision; a denial while the application starts carries {@code "phase":"startup"}, is
 * recorded in profile form, and {@code INLAY_STARTUP=monitor} lets it through while later denials are enforced.
 */
class RolloutIT {
    private static final String APP = "dev.inlay.probe.StartThenServe";

    @TempDir
    Path tmp;

    /**
     * The probe's needs; Debian's JDK 17 reads /etc/java-17-openjdk/net.properties (linked file by file from
     * conf/) for its first server socket, which neither the roots nor the JVM baseline cover today.
     */
    private Path policy(String name, boolean allowData, String extraFileRule) throws Exception {
        Path data = tmp.resolve("data.txt");
        Files.writeString(data, "data");
        String yaml = "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: " + name + "}\nspec:\n  mode: enforce\n"
                + "  files:\n    - {id: code, operations: [read, list], paths: [\"${app.classpath}/**\"]}\n"
                + (allowData ? "    - {id: data, operations: [read], paths: [\"" + data + "\"]}\n" : "")
                + (extraFileRule == null ? "" : "    - " + extraFileRule + "\n")
                + "    - {id: jdk, operations: [read, list], paths: [\"${java.home}/**\", /etc/java-17-openjdk/**]}\n"
                + "  network:\n    - {id: serve, operations: [listen, accept], ports: [1024-65535]}\n"
                + "    - {id: loopback, operations: [connect], cidrs: [127.0.0.0/8]}\n";
        return Files.writeString(tmp.resolve(name + ".yaml"), yaml);
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void aCandidateReportsWhatItWouldDenyAndItsRuleHitsWithoutDeciding(int jdk) throws Exception {
        Path current = policy("current", true, null);
        Path candidate = policy("candidate", false, "{id: never, operations: [read], paths: [/nonexistent/never]}");
        Path data = tmp.resolve("data.txt");
        AgentRun run =
                AgentRun.run(jdk, "policy=" + current + ",shadowPolicy=" + candidate, Map.of(), APP, data.toString());
        assertEquals(0, run.exitCode, run.describe());
        assertEquals("OK", run.probes.get("startup-read"), "the policy in force decides: " + run.describe());
        assertEquals("OK", run.probes.get("run-read"), run.describe());
        assertEquals(List.of(), run.of("event"), "the candidate changes no decision: " + run.describe());

        String digest = "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(candidate)));
        List<String> phases = new ArrayList<>();
        for (JsonNode shadow : run.of("shadow")) {
            assertEquals("file", shadow.path("category").asText(), shadow.toString());
            assertEquals("read", shadow.path("operation").asText(), shadow.toString());
            assertEquals(data.toString(), shadow.path("resource").asText(), shadow.toString());
            assertEquals("deny", shadow.path("action").asText(), shadow.toString());
            assertEquals("default/files", shadow.path("rule").asText(), shadow.toString());
            assertEquals("candidate", shadow.path("policy").path("name").asText(), shadow.toString());
            assertEquals(digest, shadow.path("policy").path("digest").asText(), shadow.toString());
            assertEquals("allow", shadow.path("current").path("action").asText(), shadow.toString());
            assertEquals("data", shadow.path("current").path("rule").asText(), shadow.toString());
            assertEquals(
                    "current",
                    shadow.path("current").path("policy").path("name").asText(),
                    shadow.toString());
            assertFalse(shadow.has("blocked"), "a shadow line blocks nothing: " + shadow);
            assertTrue(
                    shadow.path("message")
                            .asText()
                            .endsWith("would be denied by rule default/files of the candidate" + " policy"),
                    shadow.toString());
            phases.add(shadow.path("phase").asText());
        }
        assertEquals(List.of("startup", "run"), phases, "one shadow line per phase: " + run.describe());

        Map<String, Long> hits = new java.util.TreeMap<>();
        boolean last = false;
        for (JsonNode line : run.of("shadow-hits")) {
            assertEquals("candidate", line.path("policy").asText(), line.toString());
            assertEquals(digest, line.path("policyDigest").asText(), line.toString());
            line.path("hits")
                    .fields()
                    .forEachRemaining(e -> hits.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            last |= line.path("final").asBoolean();
        }
        assertTrue(last, "a final shadow-hits line at exit: " + run.describe());
        assertTrue(hits.getOrDefault("code", 0L) > 0, "the candidate's class path rule was exercised: " + hits);
        assertTrue(hits.getOrDefault("serve", 0L) >= 2, "listen, accept: " + hits);
        assertTrue(hits.getOrDefault("loopback", 0L) >= 1, "connect: " + hits);
        assertTrue(hits.getOrDefault("default/files", 0L) >= 2, "the two reads it would deny: " + hits);
        assertFalse(hits.containsKey("never"), hits.toString());
        JsonNode started = run.of("status").get(0);
        assertEquals("candidate", started.path("shadowPolicy").asText(), started.toString());

        // A candidate that cannot be used never stops the application: said on stderr and in started, and no
        // shadow-hits lines (promote-check then has no evidence).
        AgentRun missing = AgentRun.run(
                jdk, "policy=" + current + ",shadowPolicy=" + tmp.resolve("gone.yaml"), Map.of(), APP, data.toString());
        assertEquals(0, missing.exitCode, missing.describe());
        assertEquals("OK", missing.probes.get("run-read"), missing.describe());
        assertTrue(missing.stderr.contains("inlay: shadow policy cannot be used:"), missing.describe());
        assertTrue(
                missing.of("status").get(0).path("shadowProblem").asText().contains("gone.yaml"), missing.describe());
        assertEquals(List.of(), missing.of("shadow-hits"), missing.describe());
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void aStartupDenialSaysSoIsRecordedAndTheStartupSwitchLetsOnlyItThrough(int jdk) throws Exception {
        Path policy = policy("tight", false, null);
        Path data = tmp.resolve("data.txt");

        AgentRun closed = AgentRun.run(jdk, "policy=" + policy, Map.of(), APP, data.toString());
        assertEquals(0, closed.exitCode, closed.describe());
        assertTrue(
                closed.probes.get("startup-read").startsWith("DENIED"), "fail closed by default: " + closed.describe());
        assertTrue(closed.probes.get("run-read").startsWith("DENIED"), closed.describe());
        assertEquals(List.of("startup true", "run true"), phases(closed), closed.describe());
        assertEquals(
                List.of("file read " + data), closed.profiledBehaviors(), "the start-up denial in profile form only");

        AgentRun healed =
                AgentRun.run(jdk, "policy=" + policy, Map.of("INLAY_STARTUP", "monitor"), APP, data.toString());
        assertEquals(0, healed.exitCode, healed.describe());
        assertEquals(
                "OK",
                healed.probes.get("startup-read"),
                "start-up denials reported, not enforced: " + healed.describe());
        assertTrue(
                healed.probes.get("run-read").startsWith("DENIED"),
                "enforced once the application serves: " + healed.describe());
        assertEquals(List.of("startup false", "run true"), phases(healed), healed.describe());
        JsonNode startupEvent = healed.of("event").get(0);
        assertEquals("enforce", startupEvent.path("mode").asText(), startupEvent.toString());
        assertTrue(
                startupEvent.path("message").asText().endsWith("(start-up, INLAY_STARTUP=monitor)"),
                startupEvent.toString());
        assertEquals(List.of("file read " + data), healed.profiledBehaviors(), healed.describe());
        assertEquals("monitor", healed.of("status").get(0).path("startup").asText(), healed.describe());

        // No start-up window: the same read is a run-time denial, enforced whatever the switch says.
        AgentRun noWindow = AgentRun.run(
                jdk, "policy=" + policy + ",startupWindow=0", Map.of("INLAY_STARTUP", "monitor"), APP, data.toString());
        assertTrue(noWindow.probes.get("startup-read").startsWith("DENIED"), noWindow.describe());
        assertEquals(List.of("run true"), phases(noWindow), "both reads, folded into one line: " + noWindow.describe());
        assertEquals(2, noWindow.of("event").get(0).path("count").asInt(), noWindow.describe());
        assertEquals(List.of(), noWindow.profiledBehaviors(), "run-time denials are not recorded as profiles");

        AgentRun bad =
                AgentRun.run(jdk, "policy=" + policy, Map.of("INLAY_STARTUP", "sometimes"), APP, data.toString());
        assertEquals(AgentInstaller.EXIT_NO_POLICY, bad.exitCode, bad.describe());
        assertTrue(bad.stderr.contains("INLAY_STARTUP"), bad.describe());
    }

    private static List<String> phases(AgentRun run) {
        List<String> phases = new ArrayList<>();
        for (JsonNode e : run.of("event"))
            phases.add(e.path("phase").asText() + " " + e.path("blocked").asText());
        return phases;
    }
}
