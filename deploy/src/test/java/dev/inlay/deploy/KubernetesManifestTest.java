package dev.inlay.deploy;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubernetesManifestTest {
    private static final String ORDERS = "registry.example.com/shop/orders:1.14.2";
    private static final String BATCH = "registry.example.com/shop/orders-batch:1.14.2";
    private static final String MIGRATIONS = "registry.example.com/shop/orders-migrations:2.3.0";

    private static DeploySettings settings() {
        return DeploySettings.builder()
                .images(ImageMapping.builder()
                        .pair(ORDERS, ORDERS + "-inlay", "t")
                        .pair(BATCH, BATCH + "-inlay", "t")
                        .build())
                .mode("enforce")
                .sink("stdout")
                .build();
    }

    @Test
    void objectsThatAreNotWorkloadsAndDocumentOrderAreKeptByteForByte() {
        String in = Samples.text("k8s-orders.yaml");
        String out =
                KubernetesManifest.rewrite(in, "k8s-orders.yaml", settings()).text();
        List<String> before = documents(in);
        List<String> after = documents(out);
        assertEquals(4, after.size());
        assertEquals(before.get(1), after.get(1), "Service");
        assertEquals(before.get(3), after.get(3), "ConfigMap");
        assertTrue(after.get(0).contains("kind: Deployment") && after.get(2).contains("kind: CronJob"));
    }

    @Test
    void workloadsGetImagesEnvironmentAndIdentityAndNothingElseChanges() {
        String in = Samples.text("k8s-orders.yaml");
        String out =
                KubernetesManifest.rewrite(in, "k8s-orders.yaml", settings()).text();
        List<Object> before = load(in);
        List<Object> after = load(out);

        Map<String, Object> orders = container(after.get(0), "containers", 0);
        assertEquals(ORDERS + "-inlay", orders.get("image"));
        assertEquals(
                List.of(
                        "SPRING_PROFILES_ACTIVE",
                        "SERVER_PORT",
                        "DB_PASSWORD",
                        "FEATURE_FLAGS",
                        "INLAY_MODE",
                        "INLAY_SINK",
                        "INLAY_IMAGE",
                        "POD_NAME",
                        "POD_NAMESPACE",
                        "NODE_NAME"),
                names(orders));
        List<Map<String, Object>> env = list(orders.get("env"));
        assertEquals("8080", env.get(1).get("value"), "a quoted number stays a string");
        assertEquals("checkout-v2,yes", env.get(3).get("value"));
        assertEquals(
                Map.of("secretKeyRef", Map.of("name", "orders-db", "key", "password")),
                env.get(2).get("valueFrom"));
        assertEquals(Map.of("name", "INLAY_IMAGE", "value", ORDERS + "-inlay"), env.get(6), "the image it runs");
        assertEquals(
                Map.of("fieldRef", Map.of("fieldPath", "metadata.name")),
                env.get(7).get("valueFrom"));
        assertEquals(
                Map.of("fieldRef", Map.of("fieldPath", "spec.nodeName")),
                env.get(9).get("valueFrom"));

        // The init container and the envoy sidecar are not mapped: untouched.
        assertEquals(container(before.get(0), "initContainers", 0), container(after.get(0), "initContainers", 0));
        assertEquals(container(before.get(0), "containers", 1), container(after.get(0), "containers", 1));

        Map<String, Object> reconcile = cronJobContainer(after.get(2));
        assertEquals(BATCH + "-inlay", reconcile.get("image"));
        List<Map<String, Object>> cronEnv = list(reconcile.get("env"));
        assertEquals(
                "-XX:MaxRAMPercentage=75 -javaagent:/opt/inlay/inlay-agent.jar",
                cronEnv.get(0).get("value"));
        assertEquals(Map.of("name", "POD_NAME", "value", "reconcile"), cronEnv.get(1), "an existing POD_NAME is kept");
        assertEquals(
                List.of(
                        "JAVA_TOOL_OPTIONS",
                        "POD_NAME",
                        "INLAY_MODE",
                        "INLAY_SINK",
                        "INLAY_IMAGE",
                        "POD_NAMESPACE",
                        "NODE_NAME"),
                names(reconcile));

        // Undo what inlay did: the rest is the same data, document by document.
        orders.put("image", ORDERS);
        orders.put("env", list(container(before.get(0), "containers", 0).get("env")));
        reconcile.put("image", BATCH);
        reconcile.put("env", list(cronJobContainer(before.get(2)).get("env")));
        assertEquals(before, after);
    }

    @Test
    void commentsAndScalarStylesSurviveInRewrittenDocuments() {
        String out = KubernetesManifest.rewrite(Samples.text("k8s-orders.yaml"), "k", settings())
                .text();
        assertTrue(out.startsWith("# orders service: rendered by the team's kustomize overlay"), out);
        assertTrue(out.contains("# the JVM sizing is set by the image; only the profile changes here"), out);
        assertTrue(out.contains("# nightly reconciliation of payments against the ledger"), out);
        assertTrue(out.contains("deployment.kubernetes.io/revision: \"7\""), out);
        assertTrue(out.contains("value: 'checkout-v2,yes'"), out);
        assertTrue(out.contains("args: [\"migrate\", \"--url\", \"jdbc:postgresql://orders-db:5432/orders\"]"), out);
        assertTrue(
                out.contains("\n        - name: orders\n          image: " + ORDERS + "-inlay\n"),
                "the Deployment's indented sequence style is kept:\n" + out);
        assertTrue(
                out.contains("\n          - name: reconcile\n            image: " + BATCH + "-inlay\n"),
                "the CronJob's compact sequence style is kept:\n" + out);
    }

    @Test
    void rewritingTwiceGivesTheSameDocument() {
        String once = KubernetesManifest.rewrite(Samples.text("k8s-orders.yaml"), "k", settings())
                .text();
        Rewritten twice = KubernetesManifest.rewrite(once, "k", settings());
        assertEquals(once, twice.text());
        assertFalse(twice.report().changed());
    }

    @Test
    void summaryNamesEveryContainerAndPassedThroughObjects() {
        String summary = KubernetesManifest.rewrite(Samples.text("k8s-orders.yaml"), "k8s-orders.yaml", settings())
                .report()
                .summary();
        assertTrue(summary.contains("Service shop/orders: passed through"), summary);
        assertTrue(summary.contains("ConfigMap shop/orders-config: passed through"), summary);
        assertTrue(
                summary.contains("Deployment shop/orders, init container migrate: left as is: " + MIGRATIONS
                        + " not in the image map"),
                summary);
        assertTrue(summary.contains("Deployment shop/orders, container orders: wrapped"), summary);
        assertTrue(summary.contains("+ POD_NAME from fieldRef metadata.name"), summary);
        assertTrue(
                summary.contains("warning: envFrom {configMapRef: {name: orders-config}} is not inspected"), summary);
        assertTrue(summary.contains("CronJob shop/orders-reconcile, container reconcile: wrapped"), summary);
        assertTrue(
                summary.indexOf("container orders: wrapped") < summary.indexOf("Service shop/orders: passed through")
                        && summary.indexOf("Service shop/orders") < summary.indexOf("CronJob shop/orders-reconcile")
                        && summary.indexOf("CronJob shop/orders-reconcile")
                                < summary.indexOf("ConfigMap shop/orders-config"),
                "document order:\n" + summary);
        assertTrue(summary.contains("4 containers: 2 wrapped, 0 already wrapped, 2 left as is; 14 changes"), summary);
    }

    @Test
    void initContainersAreWrappedWhenTheirImageIsMapped() {
        DeploySettings s = DeploySettings.builder()
                .images(ImageMapping.builder()
                        .pair(MIGRATIONS, MIGRATIONS + "-inlay", "t")
                        .build())
                .mode("learn")
                .build();
        List<Object> after = load(KubernetesManifest.rewrite(Samples.text("k8s-orders.yaml"), "k", s)
                .text());
        Map<String, Object> migrate = container(after.get(0), "initContainers", 0);
        assertEquals(MIGRATIONS + "-inlay", migrate.get("image"));
        assertEquals(
                List.of("FLYWAY_PASSWORD", "INLAY_MODE", "INLAY_IMAGE", "POD_NAME", "POD_NAMESPACE", "NODE_NAME"),
                names(migrate));
    }

    @Test
    void podsListsAndEmptyEnvironmentsAreHandled() {
        String in = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: p}
                  spec:
                    containers:
                    - name: app
                      image: r/app:1
                      env: []
                """;
        List<Object> after =
                load(KubernetesManifest.rewrite(in, "k", suffixMonitor()).text());
        @SuppressWarnings("unchecked")
        Map<String, Object> pod = (Map<String, Object>)
                list(((Map<?, ?>) after.get(0)).get("items")).get(0);
        Map<String, Object> app =
                list(((Map<?, ?>) pod.get("spec")).get("containers")).get(0);
        assertEquals("r/app:1-inlay", app.get("image"));
        assertEquals(List.of("INLAY_MODE", "INLAY_IMAGE", "POD_NAME", "POD_NAMESPACE", "NODE_NAME"), names(app));
    }

    /** Either option wrap writes loads the agent: a value with -agentlib:instrument= gets no -javaagent appended. */
    @Test
    void aJavaToolOptionsThatLoadsTheAgentEitherWayIsKept() {
        for (String value : List.of(
                "-agentlib:instrument=/opt/inlay/inlay-agent.jar -Xmx1g",
                "-javaagent:/opt/inlay/inlay-agent.jar=mode=monitor",
                "-javaagent:/opt/inlay/inlay-agent.jar.off")) {
            Rewritten out = KubernetesManifest.rewrite(podSetting("JAVA_TOOL_OPTIONS", value), "k", suffixMonitor());
            String expected = value.endsWith(".off") ? value + " -javaagent:/opt/inlay/inlay-agent.jar" : value;
            assertEquals(expected, firstVariable(out), value);
        }
    }

    /** JDK_JAVA_OPTIONS carries -agentlib:instrument= in an image wrapped for a class-path launch: a warning, no edit. */
    @Test
    void aJdkJavaOptionsWithoutTheAgentIsWarnedAbout() {
        Rewritten out = KubernetesManifest.rewrite(podSetting("JDK_JAVA_OPTIONS", "-Dlocale=fr"), "k", suffixMonitor());
        assertEquals("-Dlocale=fr", firstVariable(out));
        String summary = out.report().summary();
        assertTrue(summary.contains("the deployment sets JDK_JAVA_OPTIONS"), summary);
    }

    /** A pod of one container whose environment sets {@code name} to {@code value}. */
    private static String podSetting(String name, String value) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: app
                    image: r/app:1
                    env:
                    - {name: %s, value: "%s"}
                """.formatted(name, value);
    }

    /** The value of the first variable of the rewritten pod's container. */
    private static Object firstVariable(Rewritten out) {
        Map<?, ?> pod = (Map<?, ?>) load(out.text()).get(0);
        Map<String, Object> app =
                list(((Map<?, ?>) pod.get("spec")).get("containers")).get(0);
        return list(app.get("env")).get(0).get("value");
    }

    /** Every mapped image gets the suffix {@code -inlay}, in monitor mode. */
    private static DeploySettings suffixMonitor() {
        return DeploySettings.builder()
                .images(ImageMapping.builder().suffix("-inlay").build())
                .mode("monitor")
                .build();
    }

    @Test
    void badDocumentsAreInputErrors() {
        DeployInputException notYaml = assertThrows(
                DeployInputException.class,
                () -> KubernetesManifest.rewrite(
                        "apiVersion: v1\nkind: Pod\n---\nkind: [unclosed\n", "bad.yaml", settings()));
        assertTrue(notYaml.getMessage().startsWith("bad.yaml: not valid YAML"), notYaml.getMessage());
        assertTrue(
                notYaml.getMessage().contains("line 4") || notYaml.getMessage().contains("line 5"),
                notYaml.getMessage());
        DeployInputException noKind = assertThrows(
                DeployInputException.class,
                () -> KubernetesManifest.rewrite("spec:\n  containers: []\n", "k.yaml", settings()));
        assertTrue(noKind.getMessage().contains("not a Kubernetes object"), noKind.getMessage());
        DeployInputException noPodSpec = assertThrows(
                DeployInputException.class,
                () -> KubernetesManifest.rewrite(
                        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n", "k", settings()));
        assertTrue(
                noPodSpec.getMessage().contains("Deployment d has no pod spec at spec.template.spec"),
                noPodSpec.getMessage());
        assertThrows(DeployInputException.class, () -> KubernetesManifest.rewrite("- a\n- b\n", "k", settings()));
    }

    static List<String> documents(String text) {
        List<String> docs = new ArrayList<>();
        for (String d : text.split("(?m)^(?=---$)")) docs.add(d);
        return docs;
    }

    static List<Object> load(String text) {
        List<Object> out = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(text).forEach(out::add);
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String... path) {
        Object n = o;
        for (String k : path) n = ((Map<String, Object>) n).get(k);
        return (Map<String, Object>) n;
    }

    static Map<String, Object> container(Object deployment, String key, int i) {
        return list(map(deployment, "spec", "template", "spec").get(key)).get(i);
    }

    static Map<String, Object> cronJobContainer(Object cronJob) {
        return list(map(cronJob, "spec", "jobTemplate", "spec", "template", "spec")
                        .get("containers"))
                .get(0);
    }

    static List<String> names(Map<String, Object> container) {
        Object env = container.get("env");
        if (env == null) env = container.get("environmentVariables");
        List<String> out = new ArrayList<>();
        for (Map<String, Object> e : list(env)) out.add((String) e.get("name"));
        return out;
    }
}
