package dev.inlay.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FargateTaskDefinitionTest {
    private static final String ORIG = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/orders:1.14.2";
    private static final String WRAPPED = ORIG + "-inlay";

    private static DeploySettings settings() {
        return DeploySettings.builder()
                .images(ImageMapping.builder()
                        .suffix("-inlay")
                        .pair("public.ecr.aws/never/used:1=public.ecr.aws/never/used:1-w", "t")
                        .build())
                .mode("enforce")
                .sink("stdout")
                .skipContainer("log-router")
                .build();
    }

    private static DeploySettings mapOnlyOrders() {
        return DeploySettings.builder()
                .images(ImageMapping.builder().pair(ORIG, WRAPPED, "t").build())
                .mode("enforce")
                .sink("stdout")
                .build();
    }

    @Test
    void wrapsTheJavaContainerAndChangesNothingElse() {
        String in = Samples.text("fargate-orders.json");
        Rewritten out = FargateTaskDefinition.rewrite(in, "fargate-orders.json", mapOnlyOrders());
        JsonNode before = JsonDocument.read(in, "in");
        JsonNode after = JsonDocument.read(out.text(), "out");

        JsonNode api = after.at("/containerDefinitions/0");
        assertEquals(WRAPPED, api.get("image").asText());
        assertEquals(
                List.of(
                        "SPRING_PROFILES_ACTIVE=prod",
                        "JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -javaagent:/opt/inlay/inlay-agent.jar",
                        "SERVER_PORT=8080",
                        "INLAY_MODE=enforce",
                        "INLAY_SINK=stdout",
                        "INLAY_IMAGE=" + WRAPPED),
                env(api));

        // Put back what inlay changed: the rest must be the same tree, numbers and order included.
        ObjectNode undone = (ObjectNode) after.deepCopy();
        ObjectNode c0 = (ObjectNode) undone.at("/containerDefinitions/0");
        c0.put("image", ORIG);
        c0.set("environment", before.at("/containerDefinitions/0/environment").deepCopy());
        assertEquals(before, undone);
        assertEquals(fieldOrder(before.at("/containerDefinitions/0")), fieldOrder(api));
        assertEquals("1.50", after.get("scaleHint").decimalValue().toPlainString());
        assertTrue(after.get("proxyConfiguration").isNull());

        // The sidecar is byte-for-byte the same subtree, logConfiguration of both containers too.
        assertEquals(before.at("/containerDefinitions/1"), after.at("/containerDefinitions/1"));
        assertEquals(before.at("/containerDefinitions/0/logConfiguration"), api.get("logConfiguration"));
        assertEquals(before.at("/containerDefinitions/0/secrets"), api.get("secrets"));
        assertTrue(api.get("readonlyRootFilesystem").asBoolean());
        assertEquals("10001:10001", api.get("user").asText());
    }

    @Test
    void summaryTellsWhatChangedAndWarnsAboutJavaToolOptions() {
        Rewritten out =
                FargateTaskDefinition.rewrite(Samples.text("fargate-orders.json"), "task.json", mapOnlyOrders());
        String summary = out.report().summary();
        assertTrue(summary.startsWith("inlay deploy fargate: task.json\n"), summary);
        assertTrue(summary.contains("task definition family orders-api"), summary);
        assertTrue(summary.contains("orders-api (containerDefinitions[0]): wrapped"), summary);
        assertTrue(summary.contains("image " + ORIG + " -> " + WRAPPED), summary);
        assertTrue(summary.contains("~ INLAY_MODE=enforce (was learn)"), summary);
        assertTrue(summary.contains("+ INLAY_SINK=stdout"), summary);
        assertTrue(summary.contains("+ INLAY_IMAGE=" + WRAPPED), summary);
        assertTrue(summary.contains("warning: the deployment sets JAVA_TOOL_OPTIONS"), summary);
        assertTrue(
                summary.contains("log-router (containerDefinitions[1]): left as is: "
                        + "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4 not in the image map"),
                summary);
        assertTrue(summary.contains("2 containers: 1 wrapped, 0 already wrapped, 1 left as is; 5 changes"), summary);
    }

    @Test
    void rewritingTwiceGivesTheSameDocument() {
        Rewritten once = FargateTaskDefinition.rewrite(Samples.text("fargate-orders.json"), "t", settings());
        Rewritten twice = FargateTaskDefinition.rewrite(once.text(), "t", settings());
        assertEquals(once.text(), twice.text());
        assertFalse(twice.report().changed());
        assertEquals(1, twice.report().count(ContainerReport.Status.ALREADY_WRAPPED));
        assertTrue(
                twice.report().summary().contains("unchanged"), twice.report().summary());
        assertTrue(
                twice.report().summary().contains("log-router (containerDefinitions[1]): skipped"),
                twice.report().summary());
    }

    @Test
    void aDocumentThatNeedsNoChangeIsWrittenBackByteForByte() {
        String in = Samples.text("fargate-orders.json");
        DeploySettings nothingMapped = DeploySettings.builder()
                .images(ImageMapping.builder().pair("x/y:1", "x/y:1-inlay", "t").build())
                .mode("enforce")
                .build();
        assertEquals(in, FargateTaskDefinition.rewrite(in, "t", nothingMapped).text());
    }

    @Test
    void describeTaskDefinitionOutputIsRewrittenInsideTaskDefinition() {
        String in = "{\"taskDefinition\": {\"taskDefinitionArn\": \"arn:aws:ecs:eu-west-1:1:task-definition/a:3\","
                + "\"containerDefinitions\": [{\"name\": \"a\", \"image\": \"r/a:1\", \"environment\": []}],"
                + "\"family\": \"a\", \"revision\": 3, \"status\": \"ACTIVE\"}, \"tags\": []}";
        Rewritten out = FargateTaskDefinition.rewrite(in, "t", settings());
        JsonNode after = JsonDocument.read(out.text(), "out");
        assertEquals(
                "r/a:1-inlay",
                after.at("/taskDefinition/containerDefinitions/0/image").asText());
        assertEquals(3, after.at("/taskDefinition/revision").asInt());
        assertEquals(
                List.of("INLAY_MODE=enforce", "INLAY_SINK=stdout", "INLAY_IMAGE=r/a:1-inlay"),
                env(after.at("/taskDefinition/containerDefinitions/0")));
    }

    @Test
    void checkListsContainersWhoseImageIsNotWrapped() {
        DeploySettings check =
                DeploySettings.builder().check(true).mode("monitor").build();
        Rewritten out = FargateTaskDefinition.rewrite(Samples.text("fargate-orders.json"), "t", check);
        List<String> failing = new ArrayList<>();
        for (ContainerReport c : out.report().notWrapped()) failing.add(c.name() + ": " + c.reason());
        assertEquals(
                List.of(
                        "orders-api: expected " + WRAPPED,
                        "log-router: expected public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4-inlay"),
                failing);

        DeploySettings checkSkippingSidecar = DeploySettings.builder()
                .check(true)
                .mode("monitor")
                .skipContainer("log-router")
                .build();
        String wrapped = FargateTaskDefinition.rewrite(Samples.text("fargate-orders.json"), "t", mapOnlyOrders())
                .text();
        Rewritten ok = FargateTaskDefinition.rewrite(wrapped, "t", checkSkippingSidecar);
        assertTrue(ok.report().notWrapped().isEmpty());
        assertTrue(env(JsonDocument.read(ok.text(), "o").at("/containerDefinitions/0"))
                .contains("INLAY_MODE=monitor"));
    }

    @Test
    void aJavaToolOptionsSecretCannotBeCheckedAndIsReported() {
        String in = "{\"family\": \"a\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"r/a:1\","
                + "\"secrets\": [{\"name\": \"JAVA_TOOL_OPTIONS\", \"valueFrom\": \"arn:aws:ssm:::parameter/jto\"}],"
                + "\"environmentFiles\": [{\"value\": \"arn:aws:s3:::bucket/a.env\", \"type\": \"s3\"}]}]}";
        Rewritten out = FargateTaskDefinition.rewrite(in, "t", settings());
        List<String> warnings = out.report().containers().get(0).warnings();
        assertTrue(
                warnings.get(0).contains("JAVA_TOOL_OPTIONS comes from secret arn:aws:ssm:::parameter/jto"),
                warnings.toString());
        assertTrue(
                warnings.get(1).contains("environment file arn:aws:s3:::bucket/a.env is not inspected"),
                warnings.toString());
        assertFalse(env(JsonDocument.read(out.text(), "o").at("/containerDefinitions/0")).stream()
                .anyMatch(e -> e.startsWith("JAVA_TOOL_OPTIONS")));
    }

    @Test
    void badDocumentsAreInputErrors() {
        DeployInputException notJson = assertThrows(
                DeployInputException.class, () -> FargateTaskDefinition.rewrite("family: a\n", "t.json", settings()));
        assertTrue(notJson.getMessage().startsWith("t.json: not valid JSON"), notJson.getMessage());
        DeployInputException noDefs = assertThrows(
                DeployInputException.class,
                () -> FargateTaskDefinition.rewrite("{\"family\": \"a\"}", "t.json", settings()));
        assertTrue(noDefs.getMessage().contains("no containerDefinitions"), noDefs.getMessage());
        assertThrows(
                DeployInputException.class,
                () -> FargateTaskDefinition.rewrite(
                        "{\"containerDefinitions\": [], \"family\": 1, \"family\": 2}", "t", settings()));
        assertThrows(DeployInputException.class, () -> FargateTaskDefinition.rewrite("[1, 2]", "t", settings()));
    }

    static List<String> env(JsonNode container) {
        List<String> out = new ArrayList<>();
        JsonNode list = container.get("environment");
        if (list instanceof ArrayNode a)
            for (JsonNode e : a)
                out.add(e.get("name").asText() + "=" + e.get("value").asText());
        return out;
    }

    private static List<String> fieldOrder(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
