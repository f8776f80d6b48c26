package dev.inlay.deploy;

import dev.inlay.instrumenter.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy k8s --policy-configmap: the policy as a mounted ConfigMap instead of a multi-KB base64 variable. */
class PolicyConfigMapTest {
    private static final String ORDERS = "registry.example.com/shop/orders:1.14.2";

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, Object... path) {
        Object n = node;
        for (Object p : path)
            n = n == null
                    ? null
                    : p instanceof Integer i ? ((List<Object>) n).get(i) : ((Map<String, Object>) n).get(p);
        return (T) n;
    }

    private static List<Object> load(String text) {
        List<Object> out = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(text).forEach(out::add);
        return out;
    }

    @Test
    void thePolicyIsAConfigMapMountedWhereInlayPolicyPoints() throws Exception {
        Path policy = DeploySamples.path("policy-orders.yaml");
        Path first = dir.resolve("b64.yaml");
        // A manifest that carried the policy as INLAY_POLICY_B64 before: the variable goes (it would win).
        assertEquals(
                0,
                Cli.run(
                                "deploy",
                                "k8s",
                                DeploySamples.path("k8s-orders.yaml").toString(),
                                "--image-map",
                                ORDERS + "=" + ORDERS + "-inlay",
                                "--policy-b64-from",
                                policy.toString(),
                                "-o",
                                first.toString())
                        .exitCode());
        Path out = dir.resolve("out.yaml");
        Cli.Result r = Cli.run(
                "deploy",
                "k8s",
                first.toString(),
                "--image-map",
                ORDERS + "=" + ORDERS + "-inlay",
                "--policy-configmap",
                policy.toString(),
                "-o",
                out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        String text = Files.readString(out);
        assertFalse(text.contains("INLAY_POLICY_B64"), text);
        List<Object> docs = load(text);
        Object configMap = docs.get(docs.size() - 1);
        assertEquals("ConfigMap", (Object) at(configMap, "kind"));
        assertEquals("inlay-policy", (Object) at(configMap, "metadata", "name"));
        assertEquals("shop", (Object) at(configMap, "metadata", "namespace"));
        assertEquals(Files.readString(policy), (Object) at(configMap, "data", "policy.yaml"));

        Object podSpec = at(docs.get(0), "spec", "template", "spec");
        List<Object> containers = at(podSpec, "containers");
        Object orders = containers.stream()
                .filter(c -> "orders".equals(at(c, "name")))
                .findFirst()
                .orElseThrow();
        List<Object> mounts = at(orders, "volumeMounts");
        Object mount = mounts.stream()
                .filter(m -> "inlay-policy".equals(at(m, "name")))
                .findFirst()
                .orElseThrow();
        assertEquals("/etc/inlay", (Object) at(mount, "mountPath"));
        assertEquals(Boolean.TRUE, (Object) at(mount, "readOnly"));
        assertEquals(null, (Object) at(mount, "subPath"), "a subPath mount never sees ConfigMap updates");
        List<Object> env = at(orders, "env");
        assertTrue(
                env.stream()
                        .anyMatch(e -> "INLAY_POLICY".equals(at(e, "name"))
                                && "/etc/inlay/policy.yaml".equals(at(e, "value"))),
                env.toString());
        List<Object> volumes = at(podSpec, "volumes");
        assertTrue(
                volumes.stream().anyMatch(v -> "inlay-policy".equals(at(v, "configMap", "name"))), volumes.toString());
        Object envoy = containers.stream()
                .filter(c -> "envoy".equals(at(c, "name")))
                .findFirst()
                .orElseThrow();
        assertFalse(
                String.valueOf((Object) at(envoy, "volumeMounts")).contains("inlay-policy"),
                "an unwrapped sidecar is left alone");

        // Again on its own output: nothing changes, byte for byte (no second ConfigMap, volume or mount).
        Path again = dir.resolve("again.yaml");
        assertEquals(
                0,
                Cli.run(
                                "deploy",
                                "k8s",
                                out.toString(),
                                "--image-map",
                                ORDERS + "=" + ORDERS + "-inlay",
                                "--policy-configmap",
                                policy.toString(),
                                "-o",
                                again.toString())
                        .exitCode());
        assertEquals(text, Files.readString(again));

        // A changed policy updates the ConfigMap in place.
        Path changed = Files.writeString(dir.resolve("p2.yaml"), Files.readString(policy) + "# reviewed\n");
        Path updated = dir.resolve("updated.yaml");
        assertEquals(
                0,
                Cli.run(
                                "deploy",
                                "k8s",
                                out.toString(),
                                "--image-map",
                                ORDERS + "=" + ORDERS + "-inlay",
                                "--policy-configmap",
                                changed.toString(),
                                "-o",
                                updated.toString())
                        .exitCode());
        List<Object> updatedDocs = load(Files.readString(updated));
        assertEquals(docs.size(), updatedDocs.size());
        assertEquals(
                Files.readString(changed), (Object) at(updatedDocs.get(updatedDocs.size() - 1), "data", "policy.yaml"));
    }

    @Test
    void badUseIsRefused() {
        String manifest = DeploySamples.path("k8s-orders.yaml").toString();
        Cli.Result both = Cli.run(
                "deploy",
                "k8s",
                manifest,
                "--suffix",
                "-inlay",
                "--policy-configmap",
                DeploySamples.path("policy-orders.yaml").toString(),
                "--policy-b64-from",
                DeploySamples.path("policy-orders.yaml").toString());
        assertEquals(2, both.exitCode(), both.toString());
        assertEquals(
                3,
                Cli.run(
                                "deploy",
                                "k8s",
                                manifest,
                                "--suffix",
                                "-inlay",
                                "--policy-configmap",
                                DeploySamples.path("policy-broken.yaml").toString())
                        .exitCode());
        assertEquals(
                2,
                Cli.run(
                                "deploy",
                                "fargate",
                                manifest,
                                "--suffix",
                                "-inlay",
                                "--policy-configmap",
                                DeploySamples.path("policy-orders.yaml").toString())
                        .exitCode(),
                "a Kubernetes option");
    }
}
