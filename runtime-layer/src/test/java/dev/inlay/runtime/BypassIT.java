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
    static final List<String> ATTEMPTS = List.of("install-permissive-checks", "exempt-own-thread",
            "exempt-own-thread-without-key", "steal-key-from-agent-thread",
            "reflection-on-bridge-field", "private-lookup-into-bridge", "unsafe-write-to-bridge-field",
            "system-property-mode-off", "common-fork-join-pool", "racing-threads", "custom-class-loader",
            "still-enforced-after-all");

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void everyAttemptIsBlockedAndEnforcementHolds(int jdk) throws Exception {
        Path denied = Files.createDirectories(work.resolve("denied")).resolve("secret.txt");
        Files.writeString(denied, "secret");
        Path policy = Files.writeString(work.resolve("policy.yaml"), String.join("\n",
                "apiVersion: inlay.dev/v1", "kind: Policy", "metadata: {name: bypass}", "spec:", "  mode: enforce",
                "  defaults: {files: allow, network: allow, dns: allow, processes: allow, nativeLibraries: allow,"
                        + " jndi: allow, deserialization: allow, classDefinition: allow, drift: allow}",
                "  files:", "    - {id: secrets, action: deny, paths: [\"" + denied.getParent() + "/**\"]}", ""));
        AgentRun run = AgentRun.run(jdk, "mode=enforce,policy=" + policy, Map.of(), "dev.inlay.probe.Bypass",
                denied.toString());
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String line : run.stdout) {
            if (!line.startsWith("BYPASS ")) continue;
            String[] parts = line.split(" ", 3);
            outcomes.put(parts[1], parts[2]);
        }
        List<String> expected = new java.util.ArrayList<>(ATTEMPTS);
        if (jdk >= 21) expected.add("virtual-thread");
        for (String attempt : expected) {
            String outcome = outcomes.get(attempt);
            assertTrue(outcome != null && outcome.startsWith("BLOCKED"), attempt + ": " + outcome + "\n" + run.describe());
        }
        assertEquals(expected.size(), outcomes.size(), run.describe());
        assertEquals(0, run.exitCode, run.describe());
    }
}
