package dev.inlay.instrumenter.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.inlay.instrumenter.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code inlay admission config}: the ValidatingWebhookConfiguration it prints holds what admissionregistration.k8s.io/v1
 * requires (the API server's validation of ValidatingWebhookConfiguration, field by field) and sends every kind the
 * webhook reviews, and nothing the webhook would refuse as unknown.
 */
class WebhookConfigurationTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    private Path ca() throws Exception {
        Cli.requireTool(Cli.onPath("openssl"), "openssl");
        Process p = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-keyout",
                        "ca.key",
                        "-out",
                        "ca.pem",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=inlay test CA")
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return tmp.resolve("ca.pem");
    }

    /** A DNS-1123 subdomain: lower-case alphanumerics, '-' and '.', at most 253 characters. */
    static boolean isDnsSubdomain(String s) {
        return s.length() <= 253 && s.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    }

    /** The resources the rules name, and the kind the API server sends in request.kind for each. */
    static final Map<String, String> KIND_OF = Map.of(
            "pods",
            "Pod",
            "pods/ephemeralcontainers",
            "Pod",
            "replicationcontrollers",
            "ReplicationController",
            "deployments",
            "Deployment",
            "replicasets",
            "ReplicaSet",
            "statefulsets",
            "StatefulSet",
            "daemonsets",
            "DaemonSet",
            "jobs",
            "Job",
            "cronjobs",
            "CronJob");

    @Test
    void theConfigurationHasEveryFieldTheApiRequiresAndSendsEveryWorkloadKind() throws Exception {
        Path ca = ca();
        Cli.Result r = Cli.run(
                "admission",
                "config",
                "--ca-file",
                ca.toString(),
                "--service",
                "inlay-system/inlay-admission",
                "--exempt-namespace",
                "kube-system",
                "--exempt-namespace",
                "monitoring",
                "--timeout-seconds",
                "8");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode doc = YAML.readTree(r.out());

        assertEquals("admissionregistration.k8s.io/v1", doc.path("apiVersion").asText());
        assertEquals("ValidatingWebhookConfiguration", doc.path("kind").asText());
        assertTrue(isDnsSubdomain(doc.path("metadata").path("name").asText()), doc.toString());
        JsonNode webhooks = doc.path("webhooks");
        assertTrue(webhooks.isArray() && webhooks.size() == 1, doc.toString());
        JsonNode hook = webhooks.get(0);
        // name: required, a fully qualified name of at least three segments.
        String name = hook.path("name").asText();
        assertTrue(isDnsSubdomain(name) && name.split("\\.").length >= 3, name);
        // v1 requires sideEffects (None or NoneOnDryRun) and admissionReviewVersions.
        assertEquals("None", hook.path("sideEffects").asText());
        assertEquals(List.of("v1"), YAML.convertValue(hook.path("admissionReviewVersions"), List.class));
        assertEquals("Fail", hook.path("failurePolicy").asText());
        assertTrue(
                Set.of("Exact", "Equivalent").contains(hook.path("matchPolicy").asText()));
        assertEquals(8, hook.path("timeoutSeconds").asInt());
        assertTrue(hook.path("timeoutSeconds").isInt());

        // clientConfig: exactly one of url and service; service needs namespace and name, a path that starts with '/'.
        JsonNode client = hook.path("clientConfig");
        assertFalse(client.has("url"));
        JsonNode service = client.path("service");
        assertEquals("inlay-system", service.path("namespace").asText());
        assertEquals("inlay-admission", service.path("name").asText());
        assertEquals(AdmissionServer.PATH, service.path("path").asText());
        assertEquals(443, service.path("port").asInt());
        assertArrayEquals(
                Files.readAllBytes(ca),
                Base64.getDecoder().decode(client.path("caBundle").asText()),
                "caBundle is the CA file, base64");

        // rules: operations, apiGroups, apiVersions, resources all non-empty, scope one of the three.
        Set<String> resources = new HashSet<>();
        for (JsonNode rule : hook.path("rules")) {
            for (String field : List.of("operations", "apiGroups", "apiVersions", "resources")) {
                assertTrue(rule.path(field).isArray() && rule.path(field).size() > 0, field + " in " + rule);
            }
            for (JsonNode op : rule.path("operations"))
                assertTrue(Set.of("CREATE", "UPDATE").contains(op.asText()), rule.toString());
            assertTrue(rule.path("apiGroups").get(0).isTextual(), "the core group is the empty string: " + rule);
            assertTrue(
                    Set.of("Cluster", "Namespaced", "*")
                            .contains(rule.path("scope").asText()),
                    rule.toString());
            for (JsonNode res : rule.path("resources")) resources.add(res.asText());
        }
        assertTrue(
                resources.containsAll(List.of(
                        "pods",
                        "pods/ephemeralcontainers",
                        "deployments",
                        "replicasets",
                        "statefulsets",
                        "daemonsets",
                        "jobs",
                        "cronjobs",
                        "replicationcontrollers")),
                resources.toString());
        for (String res : resources) {
            String kind = KIND_OF.get(res);
            assertNotNull(kind, "a resource whose kind the test does not know: " + res);
            assertNotNull(
                    AdmissionReviewer.podSpecPath(kind), "the webhook would refuse every " + kind + " it is sent");
        }

        // Exempt namespaces, and the webhook's own, by the label the API server puts on every namespace.
        JsonNode expression =
                hook.path("namespaceSelector").path("matchExpressions").get(0);
        assertEquals("kubernetes.io/metadata.name", expression.path("key").asText());
        assertEquals("NotIn", expression.path("operator").asText());
        assertEquals(
                List.of("inlay-system", "kube-system", "monitoring"),
                YAML.convertValue(expression.path("values"), List.class));
    }

    @Test
    void aUrlTargetAndTheMistakesTheApiServerWouldRefuse() throws Exception {
        Path ca = ca();
        Cli.Result url = Cli.run(
                "admission", "config", "--ca-file", ca.toString(), "--url", "https://admission.example:8443/validate");
        assertEquals(0, url.exitCode(), url.toString());
        JsonNode client = YAML.readTree(url.out()).path("webhooks").get(0).path("clientConfig");
        assertEquals(
                "https://admission.example:8443/validate", client.path("url").asText());
        assertFalse(client.has("service"));

        for (String[] bad : new String[][] {
            {"--url", "http://admission.example/validate"},
            {"--url", "https://admission.example/validate", "--service", "a/b"},
            {"--service", "inlay-system"},
            {"--service", "inlay-system/Admission"},
            {"--service", "inlay-system/inlay", "--timeout-seconds", "31"},
            {"--service", "inlay-system/inlay", "--exempt-namespace", "Kube_System"},
        }) {
            String[] args = new String[bad.length + 4];
            args[0] = "admission";
            args[1] = "config";
            args[2] = "--ca-file";
            args[3] = ca.toString();
            System.arraycopy(bad, 0, args, 4, bad.length);
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.exitCode(), String.join(" ", bad) + ": " + r);
        }
        Path notPem = Files.writeString(tmp.resolve("not.pem"), "hello\n");
        Cli.Result noCert = Cli.run("admission", "config", "--ca-file", notPem.toString(), "--service", "a/b");
        assertEquals(3, noCert.exitCode(), noCert.toString());
        assertTrue(noCert.err().contains("no PEM certificate"), noCert.toString());
        Cli.Result missing = Cli.run(
                "admission", "config", "--ca-file", tmp.resolve("nope.pem").toString(), "--service", "a/b");
        assertEquals(4, missing.exitCode(), missing.toString());
    }
}
