package dev.inlay.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.inlay.deploy.KubernetesManifestTest.list;
import static dev.inlay.deploy.KubernetesManifestTest.load;
import static dev.inlay.deploy.KubernetesManifestTest.map;
import static dev.inlay.deploy.KubernetesManifestTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AciAndCloudRunTest {
    private static final String ACI_ORDERS = "shopregistry.azurecr.io/shop/orders:1.14.2";
    private static final String RUN_ORDERS = "europe-west1-docker.pkg.dev/shop-prod/shop/orders:1.14.2";

    private static DeploySettings settings(String orig) {
        return DeploySettings.builder()
                .images(ImageMapping.builder().pair(orig, orig + "-inlay", "t").build())
                .mode("enforce")
                .sink("stdout")
                .build();
    }

    @Test
    void aciYamlGetsImageAndEnvironmentVariablesAndKeepsSecureValues() {
        String in = Samples.text("aci-orders.yaml");
        Rewritten out = AciContainerGroup.rewrite(in, "aci-orders.yaml", settings(ACI_ORDERS));
        List<Object> before = load(in);
        List<Object> after = load(out.text());
        Map<String, Object> orders =
                map(list(map(after.get(0), "properties").get("containers")).get(0), "properties");
        assertEquals(ACI_ORDERS + "-inlay", orders.get("image"));
        assertEquals(
                List.of("SPRING_PROFILES_ACTIVE", "DB_PASSWORD", "RETRIES", "INLAY_MODE", "INLAY_SINK", "INLAY_IMAGE"),
                names(orders));
        List<Map<String, Object>> env = list(orders.get("environmentVariables"));
        assertEquals(Map.of("name", "DB_PASSWORD", "secureValue", "correct-horse-battery-staple"), env.get(1));
        assertEquals("3", env.get(2).get("value"));

        orders.put("image", ACI_ORDERS);
        orders.put(
                "environmentVariables",
                list(map(
                                list(map(before.get(0), "properties").get("containers"))
                                        .get(0),
                                "properties")
                        .get("environmentVariables")));
        assertEquals(before, after);
        assertTrue(
                out.text().startsWith("# az container create --resource-group shop --file aci-orders.yaml\n"),
                out.text());
        assertTrue(
                out.text().contains("- name: 'DB_PASSWORD'\n        secureValue: 'correct-horse-battery-staple'"),
                out.text());

        String summary = out.report().summary();
        assertTrue(summary.contains("container group orders, init container wait-for-db: left as is"), summary);
        assertTrue(summary.contains("container group orders, container orders: wrapped"), summary);
        assertFalse(summary.contains("correct-horse"), "a secure value never reaches the summary");

        assertEquals(
                out.text(),
                AciContainerGroup.rewrite(out.text(), "a", settings(ACI_ORDERS)).text(),
                "idempotent");
    }

    @Test
    void aciJsonAndArmTemplatesAreRewrittenAsJson() {
        String group = "{\"name\": \"orders\", \"location\": \"westeurope\", \"properties\": {\"osType\": \"Linux\","
                + "\"containers\": [{\"name\": \"orders\", \"properties\": {\"image\": \"" + ACI_ORDERS + "\","
                + "\"environmentVariables\": [{\"name\": \"INLAY_MODE\", \"secureValue\": \"x\"}],"
                + "\"resources\": {\"requests\": {\"cpu\": 1.0, \"memoryInGB\": 1.5}}}}]}}";
        Rewritten out = AciContainerGroup.rewrite(group, "g.json", settings(ACI_ORDERS));
        JsonNode after = JsonDocument.read(out.text(), "o");
        JsonNode props = after.at("/properties/containers/0/properties");
        assertEquals(ACI_ORDERS + "-inlay", props.get("image").asText());
        assertEquals(
                "{\"name\":\"INLAY_MODE\",\"value\":\"enforce\"}",
                props.at("/environmentVariables/0").toString());
        assertEquals("1.0", props.at("/resources/requests/cpu").decimalValue().toPlainString());
        assertTrue(out.report().containers().get(0).warnings().get(0).contains("INLAY_MODE was set from secureValue"));

        String arm =
                "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\","
                        + "\"contentVersion\": \"1.0.0.0\", \"resources\": [{\"type\": \"Microsoft.Storage/storageAccounts\", \"name\": \"s\"},"
                        + "{\"type\": \"Microsoft.ContainerInstance/containerGroups\", \"apiVersion\": \"2023-05-01\", \"name\": \"orders\","
                        + "\"properties\": {\"containers\": [{\"name\": \"orders\", \"properties\": {\"image\": \""
                        + ACI_ORDERS + "\"}}]}}]}";
        JsonNode armAfter = JsonDocument.read(
                AciContainerGroup.rewrite(arm, "t.json", settings(ACI_ORDERS)).text(), "o");
        assertEquals(
                ACI_ORDERS + "-inlay",
                armAfter.at("/resources/1/properties/containers/0/properties/image")
                        .asText());
        ObjectNode undo = (ObjectNode) armAfter.at("/resources/1/properties/containers/0/properties");
        undo.put("image", ACI_ORDERS);
        assertEquals(
                3, ((ArrayNode) undo.remove("environmentVariables")).size(), "INLAY_MODE, INLAY_SINK, INLAY_IMAGE");
        assertEquals(JsonDocument.read(arm, "in"), armAfter);
    }

    @Test
    void cloudRunServiceGetsImageAndEnvAndKeepsTheRest() {
        String in = Samples.text("cloudrun-orders.yaml");
        Rewritten out = CloudRunService.rewrite(in, "cloudrun-orders.yaml", settings(RUN_ORDERS));
        List<Object> before = load(in);
        List<Object> after = load(out.text());
        Map<String, Object> orders = list(map(after.get(0), "spec", "template", "spec")
                        .get("containers"))
                .get(0);
        assertEquals(RUN_ORDERS + "-inlay", orders.get("image"));
        assertEquals(
                List.of(
                        "SPRING_PROFILES_ACTIVE",
                        "DB_PASSWORD",
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "INLAY_MODE",
                        "INLAY_SINK",
                        "INLAY_IMAGE"),
                names(orders),
                "no downward-API variables on Cloud Run");
        orders.put("image", RUN_ORDERS);
        orders.put(
                "env",
                list(map(before.get(0), "spec", "template", "spec").get("containers"))
                        .get(0)
                        .get("env"));
        assertEquals(before, after);
        assertTrue(out.text().contains("autoscaling.knative.dev/maxScale: '20'"), out.text());
        assertTrue(
                out.text().contains("run.googleapis.com/container-dependencies: '{\"orders\":[\"otel-collector\"]}'"),
                out.text());
        assertTrue(
                out.report().summary().contains("Service orders, container otel-collector: left as is"),
                out.report().summary());
        assertEquals(
                out.text(),
                CloudRunService.rewrite(out.text(), "c", settings(RUN_ORDERS)).text(),
                "idempotent");
    }

    @Test
    void wrongKindsAreInputErrors() {
        DeployInputException notRun = assertThrows(
                DeployInputException.class,
                () -> CloudRunService.rewrite(Samples.text("k8s-orders.yaml"), "k.yaml", settings(RUN_ORDERS)));
        assertTrue(notRun.getMessage().contains("not a Cloud Run service"), notRun.getMessage());
        DeployInputException notAci = assertThrows(
                DeployInputException.class,
                () -> AciContainerGroup.rewrite(Samples.text("cloudrun-orders.yaml"), "c.yaml", settings(ACI_ORDERS)));
        assertTrue(notAci.getMessage().contains("not an Azure container group"), notAci.getMessage());
        assertThrows(
                DeployInputException.class,
                () -> AciContainerGroup.rewrite("{\"properties\": {}}", "a.json", settings(ACI_ORDERS)));
        assertThrows(
                DeployInputException.class, () -> CloudRunService.rewrite("# nothing\n", "c", settings(RUN_ORDERS)));
    }
}
