package dev.inlay.model;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What inlay wrap writes into inlay.properties is what the agent reads back. */
class AgentSettingsTest {
    @Test
    void theFileReadsBackAsWritten() throws Exception {
        AgentSettings written = new AgentSettings()
                .mode("enforce")
                .policy(LayerLayout.POLICY_PATH)
                .policyDigest("sha256:ab")
                .compiledPolicy("AAEC+/==")
                .agentDigest("sha256:cd")
                .baseline(LayerLayout.BASELINE_PATH)
                .imageConfigDigest("sha256:01")
                .imageManifestDigest("sha256:02")
                .platform("linux/amd64")
                .inlayVersion("0.1.0")
                .label("org.opencontainers.image.title", "caf\u00e9 \\ shop\nline\r\u0001 \u2028");
        String text = written.write("written by a test");
        assertTrue(text.startsWith("# written by a test\n"), text);
        for (char c : text.toCharArray()) assertTrue(c == '\n' || (c >= 0x20 && c <= 0x7e), "ASCII only: " + text);
        Properties file = new Properties();
        file.load(new StringReader(text));
        AgentSettings read = AgentSettings.of(file);
        assertEquals(written.asMap(), read.asMap());
        assertEquals("enforce", read.mode());
        assertEquals("/opt/inlay/policy.yaml", read.policy());
        assertEquals("sha256:ab", read.policyDigest());
        assertEquals("AAEC+/==", read.compiledPolicy());
        assertEquals("/opt/inlay/baseline.tsv", read.baseline());
        assertEquals(Map.of("org.opencontainers.image.title", "caf\u00e9 \\ shop\nline\r\u0001 \u2028"), read.labels());
        assertEquals("mode=enforce", text.split("\n")[1], "the order written is the order set");
    }

    @Test
    void everyVariableIsTheKeyInUpperCaseWithWordsSplit() {
        assertEquals(AgentSettings.ENV_MODE, AgentSettings.envName(AgentSettings.MODE));
        assertEquals(AgentSettings.ENV_POLICY, AgentSettings.envName(AgentSettings.POLICY));
        assertEquals(AgentSettings.ENV_FAIL_OPEN, AgentSettings.envName(AgentSettings.FAIL_OPEN));
        assertEquals("INLAY_PROFILE_DIR", AgentSettings.envName(AgentSettings.PROFILE_DIR));
        // The safe-rollout settings keep the variable names docs/DEPLOY.md gives them.
        assertEquals("INLAY_SHADOW_POLICY", AgentSettings.envName(AgentSettings.SHADOW_POLICY));
        assertEquals("INLAY_STARTUP", AgentSettings.envName(AgentSettings.STARTUP));
        assertEquals("INLAY_STARTUP_WINDOW", AgentSettings.envName(AgentSettings.STARTUP_WINDOW));
        assertEquals("INLAY_COMPONENTS", AgentSettings.envName(AgentSettings.COMPONENTS));
        assertEquals(19, AgentSettings.operatorKeys().length);
    }
}
