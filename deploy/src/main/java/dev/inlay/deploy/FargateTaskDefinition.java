package dev.inlay.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * An ECS task definition, as given to {@code aws ecs register-task-definition --cli-input-json} or as printed by
 * {@code describe-task-definition} (the {@code taskDefinition} member is rewritten; the rest is kept).
 */
public final class FargateTaskDefinition {
    private FargateTaskDefinition() {}

    public static Rewritten rewrite(String text, String source, DeploySettings settings) {
        JsonNode root = JsonDocument.read(text, source);
        if (!root.isObject()) throw new DeployInputException(source + ": an ECS task definition must be a JSON object");
        JsonNode taskDefinition =
                root.has("taskDefinition") && root.get("taskDefinition").isObject() ? root.get("taskDefinition") : root;
        JsonNode defs = taskDefinition.get("containerDefinitions");
        if (defs == null || !defs.isArray()) {
            throw new DeployInputException(source + ": not an ECS task definition: no containerDefinitions list");
        }
        DeployReport report = new DeployReport("fargate", source, settings.check());
        String family = JsonContainer.text(taskDefinition, "family");
        if (family != null) report.note("task definition family " + family);
        ContainerRewriter rewriter = new ContainerRewriter(settings, false);
        for (int i = 0; i < defs.size(); i++) {
            JsonNode def = defs.get(i);
            if (!def.isObject())
                throw new DeployInputException(source + ": containerDefinitions[" + i + "] is not an object");
            ObjectNode container = (ObjectNode) def;
            String name = JsonContainer.text(container, "name");
            String where = (name == null ? "" : name + " ") + "(containerDefinitions[" + i + "])";
            JsonNode secrets = container.get("secrets");
            List<String> opaque = new ArrayList<>();
            JsonNode files = container.get("environmentFiles");
            if (files != null && files.isArray()) {
                for (JsonNode f : files) opaque.add("environment file " + JsonContainer.text(f, "value"));
            }
            ContainerReport r = rewriter.rewrite(new JsonContainer(
                    name,
                    where,
                    container,
                    "environment",
                    List.of(),
                    secrets != null && secrets.isArray() ? (ArrayNode) secrets : null,
                    opaque));
            report.add(r);
            if (r.changed()) warnAboutSecretDuplicates(container, settings, r);
        }
        return new Rewritten(report.changed() ? JsonDocument.write(root, text) : text, report);
    }

    /** A variable in both environment and secrets is ambiguous: which one the container sees is not ours to guess. */
    private static void warnAboutSecretDuplicates(ObjectNode container, DeploySettings settings, ContainerReport r) {
        JsonNode secrets = container.get("secrets");
        if (secrets == null || !secrets.isArray()) return;
        for (JsonNode s : secrets) {
            String name = JsonContainer.text(s, "name");
            if (name != null && settings.environment().containsKey(name)) {
                r.warn(name + " is also in secrets: remove one of the two");
            }
        }
    }
}
