package dev.inlay.deploy;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy fargate keeps the document's layout; shapes the platforms reject are bad input on every platform. */
class DeployFormatAndShapeTest {
    private static final String ORIG = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/orders:1.14.2";

    @TempDir
    Path dir;

    /** The sample as `aws ecs describe-task-definition` (Python's json, indent 4) or an editor with tabs prints it. */
    private static String formatted(String indent) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter(indent, "\n"))
                .withArrayIndenter(new DefaultIndenter(indent, "\n"));
        return mapper.writer(printer).writeValueAsString(mapper.readTree(Samples.text("fargate-orders.json"))) + "\n";
    }

    @Test
    void aGitDiffOfTheRewrittenTaskDefinitionShowsOnlyInlaysLines() throws Exception {
        for (String indent : List.of("  ", "    ", "\t")) {
            // two spaces: the sample as written by hand, with one-line entries; four spaces and tab: fully indented
            String input = indent.equals("  ") ? Samples.text("fargate-orders.json") : formatted(indent);
            DeploySettings settings = DeploySettings.builder()
                    .images(ImageMapping.builder()
                            .pair(ORIG + "=" + ORIG + "-inlay", "test")
                            .build())
                    .mode("monitor")
                    .sink("stdout")
                    .build();
            String output =
                    FargateTaskDefinition.rewrite(input, "task.json", settings).text();
            Path a = Files.writeString(dir.resolve("a.json"), input);
            Path b = Files.writeString(dir.resolve("b.json"), output);
            List<String> removed = new ArrayList<>();
            List<String> added = new ArrayList<>();
            for (String line : gitDiff(a, b)) {
                if (line.startsWith("---") || line.startsWith("+++")) continue;
                if (line.startsWith("-")) removed.add(line.substring(1).strip());
                if (line.startsWith("+")) added.add(line.substring(1).strip());
            }
            // removed: the image, INLAY_MODE's old value and JAVA_TOOL_OPTIONS' old value; a closing brace that gains a
            // comma
            for (String r : removed) {
                assertTrue(
                        r.contains(ORIG)
                                || r.equals("}")
                                || r.contains("\"learn\"")
                                || r.contains("ExitOnOutOfMemoryError"),
                        "unexpected removed line '" + r + "' (indent '" + indent + "'):\n"
                                + String.join("\n", removed));
            }
            assertTrue(added.contains("\"image\": \"" + ORIG + "-inlay\","), String.join("\n", added));
            assertTrue(added.stream().anyMatch(l -> l.contains("\"value\": \"monitor\"")), String.join("\n", added));
            assertTrue(removed.size() <= 6, String.join("\n", removed));
            assertTrue(output.contains("\n" + indent + "\"family\": \"orders-api\","), output);
        }
    }

    @Test
    void oneLineAndCrlfDocumentsStayThatWay() {
        DeploySettings settings = DeploySettings.builder()
                .images(ImageMapping.builder().pair("app:1=app:1-inlay", "test").build())
                .mode("learn")
                .build();
        String oneLine =
                "{\"family\":\"f\",\"cpu\":1.50,\"containerDefinitions\":[{\"name\":\"a\",\"image\":\"app:1\"}]}";
        assertEquals(
                "{\"family\":\"f\",\"cpu\":1.50,\"containerDefinitions\":[{\"name\":\"a\",\"image\":\"app:1-inlay\","
                        + "\"environment\":[{\"name\":\"INLAY_MODE\",\"value\":\"learn\"},"
                        + "{\"name\":\"INLAY_IMAGE\",\"value\":\"app:1-inlay\"}]}]}",
                FargateTaskDefinition.rewrite(oneLine, "t.json", settings).text());
        String crlf =
                "{\r\n  \"containerDefinitions\": [\r\n    {\r\n      \"name\": \"a\",\r\n      \"image\": \"app:1\",\r\n"
                        + "      \"environment\": [\r\n        {\r\n          \"name\": \"X\",\r\n          \"value\": \"1\"\r\n        }\r\n"
                        + "      ]\r\n    }\r\n  ]\r\n}\r\n";
        String out = FargateTaskDefinition.rewrite(crlf, "t.json", settings).text();
        assertEquals(
                crlf.replace("app:1\"", "app:1-inlay\"")
                        .replace(
                                "          \"value\": \"1\"\r\n        }\r\n",
                                "          \"value\": \"1\"\r\n        },\r\n        {\r\n          \"name\": \"INLAY_MODE\",\r\n"
                                        + "          \"value\": \"learn\"\r\n        },\r\n        {\r\n          \"name\": \"INLAY_IMAGE\",\r\n"
                                        + "          \"value\": \"app:1-inlay\"\r\n        }\r\n"),
                out);
    }

    @Test
    void anEmptyEnvironmentOfAnIndentedDocumentGetsIndentedEntries() {
        DeploySettings settings = DeploySettings.builder()
                .images(ImageMapping.builder().pair("app:1=app:1-inlay", "test").build())
                .mode("learn")
                .build();
        String in =
                "{\n    \"containerDefinitions\": [\n        {\n            \"name\": \"a\",\n            \"image\": \"app:1\",\n"
                        + "            \"environment\": []\n        }\n    ]\n}\n";
        String out = FargateTaskDefinition.rewrite(in, "t.json", settings).text();
        assertEquals(
                in.replace("app:1\"", "app:1-inlay\"")
                        .replace(
                                "\"environment\": []",
                                "\"environment\": [\n"
                                        + "                {\n                    \"name\": \"INLAY_MODE\",\n                    \"value\": \"learn\"\n"
                                        + "                },\n                {\n                    \"name\": \"INLAY_IMAGE\",\n"
                                        + "                    \"value\": \"app:1-inlay\"\n                }\n            ]"),
                out);
    }

    @Test
    void aNewEnvironmentInAnIndentedContainerIsIndented() {
        DeploySettings settings = DeploySettings.builder()
                .images(ImageMapping.builder().pair("app:1=app:1-inlay", "test").build())
                .mode("learn")
                .build();
        String in =
                "{\n  \"containerDefinitions\": [\n    {\n      \"name\": \"a\",\n      \"image\": \"app:1\"\n    }\n  ]\n}\n";
        String out = FargateTaskDefinition.rewrite(in, "t.json", settings).text();
        assertEquals(
                "{\n  \"containerDefinitions\": [\n    {\n      \"name\": \"a\",\n      \"image\": \"app:1-inlay\",\n"
                        + "      \"environment\": [\n        {\n          \"name\": \"INLAY_MODE\",\n          \"value\": \"learn\"\n"
                        + "        },\n        {\n          \"name\": \"INLAY_IMAGE\",\n          \"value\": \"app:1-inlay\"\n"
                        + "        }\n      ]\n    }\n  ]\n}\n",
                out);
    }

    private static List<String> gitDiff(Path a, Path b) throws Exception {
        Process p = new ProcessBuilder(
                        "git", "diff", "--no-index", "--unified=0", "--no-color", a.toString(), b.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        assertTrue(code == 0 || code == 1, out);
        return out.lines()
                .filter(l -> !l.startsWith("@@") && !l.startsWith("diff ") && !l.startsWith("index "))
                .toList();
    }

    @Test
    void shapesThePlatformsRejectAreBadInputEvenWhenNothingChanges() {
        DeploySettings check = DeploySettings.builder()
                .images(ImageMapping.builder().suffix("-inlay").build())
                .build();
        String envObject = "{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"a\",\"image\":\"sidecar:1\","
                + "\"environment\":{\"A\":\"1\"}}]}";
        DeployInputException e = assertThrows(
                DeployInputException.class, () -> FargateTaskDefinition.rewrite(envObject, "task.json", check));
        assertTrue(e.getMessage().contains("environment must be a list"), e.getMessage());
        String imageNumber = "{\"containerDefinitions\":[{\"name\":\"a\",\"image\":5}]}";
        assertThrows(DeployInputException.class, () -> FargateTaskDefinition.rewrite(imageNumber, "task.json", check));

        String k8s =
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: 5\n";
        e = assertThrows(DeployInputException.class, () -> KubernetesManifest.rewrite(k8s, "m.yaml", check));
        assertTrue(e.getMessage().contains("containers must be a list"), e.getMessage());
        String k8sEnv =
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: x:1\n"
                        + "      env: {A: '1'}\n";
        e = assertThrows(DeployInputException.class, () -> KubernetesManifest.rewrite(k8sEnv, "m.yaml", check));
        assertTrue(e.getMessage().contains("env must be a list"), e.getMessage());
        String run =
                "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: s}\nspec:\n  template:\n    spec:\n"
                        + "      containers:\n        - image: x:1\n          env: 5\n";
        assertThrows(DeployInputException.class, () -> CloudRunService.rewrite(run, "s.yaml", check));
        String aci =
                "{\"type\":\"Microsoft.ContainerInstance/containerGroups\",\"name\":\"g\",\"properties\":{\"containers\":"
                        + "[{\"name\":\"a\",\"properties\":{\"image\":\"x:1\",\"environmentVariables\":{\"A\":\"1\"}}}],\"initContainers\":5}}";
        assertThrows(DeployInputException.class, () -> AciContainerGroup.rewrite(aci, "g.json", check));
    }
}
