package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.model.AgentSettings;
import dev.inlay.model.Behavior;
import dev.inlay.policy.Action;
import dev.inlay.policy.Mode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fields of an event line: severity, message, policy and the workload's identity (docs/EVENTS.md). */
class EventLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String POLICY_DIGEST = "sha256:" + "cd".repeat(32);

    @Test
    void severityFollowsTheDocumentedTableOfCategoryAndAction() {
        for (String category : List.of("process", "native", "jndi", "deserialization", "classdef", "drift")) {
            assertEquals("medium", EventText.severity(category, Action.ALERT), category);
            assertEquals("high", EventText.severity(category, Action.DENY), category);
            assertEquals("critical", EventText.severity(category, Action.KILL), category);
        }
        for (String category : List.of("file", "network", "dns", "some-future-category")) {
            assertEquals("low", EventText.severity(category, Action.ALERT), category);
            assertEquals("medium", EventText.severity(category, Action.DENY), category);
            assertEquals("critical", EventText.severity(category, Action.KILL), category);
        }
    }

    @Test
    void theMessageIsOneLineSayingWhatHappenedAndWhichRuleDecided() {
        assertEquals(
                "file read /etc/shadow denied by rule default/files",
                EventText.message("file", "read", "/etc/shadow", Action.DENY, true, "default/files"));
        assertEquals(
                "file read /etc/shadow would be denied by rule default/files (monitor mode)",
                EventText.message("file", "read", "/etc/shadow", Action.DENY, false, "default/files"));
        assertEquals(
                "process exec /bin/sh halted the JVM by rule no-shell",
                EventText.message("process", "exec", "/bin/sh", Action.KILL, true, "no-shell"));
        assertEquals(
                "process exec /bin/sh would halt the JVM by rule no-shell (monitor mode)",
                EventText.message("process", "exec", "/bin/sh", Action.KILL, false, "no-shell"));
        assertEquals(
                "dns resolve evil.example alerted by rule watch",
                EventText.message("dns", "resolve", "evil.example", Action.ALERT, false, "watch"));
        String odd = EventText.message("file", "read", "/tmp/a\nb\u2028" + "x".repeat(500), Action.DENY, true, "r");
        assertFalse(odd.contains("\n") || odd.contains("\u2028"), odd);
        assertTrue(odd.startsWith("file read /tmp/a?b?xxx") && odd.contains("x... denied by rule r"), odd);
        assertTrue(odd.length() < 260, odd);
    }

    @Test
    void theDeployedImageComesFromInlayImageAndNeverFromTheSourceTypedAtWrapTime() throws Exception {
        Properties props = new Properties();
        props.setProperty("image", "oci:/home/builder/work/hello-oci:1"); // what inlay 0.1 wrote
        props.setProperty("imageManifestDigest", "sha256:" + "11".repeat(32));
        props.setProperty("imageConfigDigest", "sha256:" + "22".repeat(32));
        props.setProperty("platform", "linux/amd64");
        JsonNode pinned = JSON.readTree(Workload.detect(
                        Map.of(
                                "HOSTNAME",
                                "orders-1",
                                "INLAY_IMAGE",
                                "registry.example:5000/shop/orders:1-inlay@" + DIGEST),
                        AgentSettings.of(props))
                .json());
        assertEquals(
                "registry.example:5000/shop/orders:1-inlay@" + DIGEST,
                pinned.path("image").asText());
        assertEquals(DIGEST, pinned.path("imageDigest").asText());
        assertEquals(
                "sha256:" + "11".repeat(32),
                pinned.path("originalManifestDigest").asText());
        assertEquals(
                "sha256:" + "22".repeat(32), pinned.path("originalConfigDigest").asText());
        assertFalse(pinned.toString().contains("hello-oci"), pinned.toString());

        JsonNode tagged = JSON.readTree(Workload.detect(
                        Map.of("HOSTNAME", "orders-1", "INLAY_IMAGE", "registry.example:5000/shop/orders:1-inlay"),
                        AgentSettings.of(props))
                .json());
        assertEquals(
                "registry.example:5000/shop/orders:1-inlay",
                tagged.path("image").asText());
        assertTrue(tagged.path("imageDigest").isMissingNode(), "a tag names no digest: " + tagged);

        JsonNode undeployed = JSON.readTree(Workload.detect(Map.of("HOSTNAME", "orders-1"), AgentSettings.of(props))
                .json());
        assertTrue(undeployed.path("image").isMissingNode(), undeployed.toString());
        assertFalse(undeployed.toString().contains("hello-oci"), undeployed.toString());
    }

    @Test
    void aPolicyDigestIsTheSha256OfTheDocumentComputedAtFirstUse() throws Exception {
        byte[] document = "apiVersion: inlay.dev/v1\nkind: Policy\n".getBytes(StandardCharsets.UTF_8);
        String expected = "sha256:"
                + java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(document));
        PolicyIdentity read = PolicyIdentity.of("p", document);
        assertEquals(null, read.knownDigest(), "not hashed before it is asked for");
        assertEquals(expected, read.digest());
        assertEquals(expected, read.knownDigest());
        assertEquals("{\"name\":\"p\",\"digest\":\"" + expected + "\"}", read.json());
        assertEquals(POLICY_DIGEST, PolicyIdentity.known("q", POLICY_DIGEST).knownDigest());
    }

    @Test
    void anEventLineCarriesSeverityMessagePolicyAndIdentityAlsoWhenCutShort() throws Exception {
        List<String> written = new ArrayList<>();
        EventStream stream = new EventStream(
                new Sink() {
                    @Override
                    public void write(List<String> lines, long deadlineNanos) {
                        written.addAll(lines);
                    }

                    @Override
                    public String describe() {
                        return "a list";
                    }
                },
                1000,
                16);
        Workload workload = Workload.detect(
                Map.of(
                        "HOSTNAME",
                        "orders-7d9f",
                        "POD_NAME",
                        "orders-7d9f",
                        "POD_NAMESPACE",
                        "shop",
                        "INLAY_IMAGE",
                        "reg/shop/orders@" + DIGEST),
                AgentSettings.of(new Properties()));
        Reporter reporter = new Reporter(stream, "0.1.0", "run-1", workload);
        reporter.policy("orders", PolicyIdentity.known("orders", POLICY_DIGEST));

        reporter.eventNow(
                new Behavior("network", "connect", "tcp://db.internal:5432"),
                Mode.ENFORCE,
                Action.DENY,
                true,
                "default/network");
        JsonNode event = JSON.readTree(written.get(0));
        assertEquals("medium", event.path("severity").asText());
        assertEquals(
                "network connect tcp://db.internal:5432 denied by rule default/network",
                event.path("message").asText());
        assertEquals("orders", event.path("policy").path("name").asText());
        assertEquals(POLICY_DIGEST, event.path("policy").path("digest").asText());
        assertEquals("orders-7d9f", event.path("workload").path("hostname").asText());
        assertEquals("shop", event.path("workload").path("podnamespace").asText());
        assertEquals(DIGEST, event.path("workload").path("imageDigest").asText());

        reporter.eventNow(
                new Behavior("process", "exec", "/bin/" + "x".repeat(9000)),
                Mode.MONITOR,
                Action.KILL,
                false,
                "no-shell");
        String line = written.get(1);
        assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= EventStream.MAX_LINE_BYTES, line);
        JsonNode cut = JSON.readTree(line);
        assertTrue(cut.path("truncated").asBoolean(), line);
        assertEquals("critical", cut.path("severity").asText());
        assertTrue(
                cut.path("message").asText().endsWith("... would halt the JVM by rule no-shell (monitor mode)"), line);
        assertEquals(POLICY_DIGEST, cut.path("policy").path("digest").asText());
        assertEquals("orders-7d9f", cut.path("workload").path("podname").asText());
        assertEquals(
                "reg/shop/orders@" + DIGEST, cut.path("workload").path("image").asText());
    }
}
