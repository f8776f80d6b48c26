package dev.inlay.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.List;

/**
 * An Azure Container Instances container group: the YAML of {@code az container create --file}, or JSON (the REST
 * resource, or an ARM template whose {@code resources} hold container groups). Containers and init containers sit
 * under {@code properties}, each with its own {@code properties.image} and {@code properties.environmentVariables}
 * ({@code name} with {@code value} or {@code secureValue}).
 */
public final class AciContainerGroup {
    static final String TYPE = "Microsoft.ContainerInstance/containerGroups";
    private static final List<String> GROUPS = List.of("initContainers", "containers");

    private AciContainerGroup() {}

    public static Rewritten rewrite(String text, String source, DeploySettings settings) {
        String start = text.stripLeading();
        return start.startsWith("{") ? json(text, source, settings) : yaml(text, source, settings);
    }

    private static Rewritten yaml(String text, String source, DeploySettings settings) {
        List<YamlStream.Document> docs = YamlStream.parse(text, source);
        DeployReport report = new DeployReport("aci", source, settings.check());
        ContainerRewriter rewriter = new ContainerRewriter(settings, false);
        int groups = 0;
        for (YamlStream.Document doc : docs) {
            Node root = doc.root();
            if (root == null || YamlNodes.isNull(root)) continue;
            String type = YamlNodes.text(root, "type");
            if (!(YamlNodes.at(root, "properties", "containers") instanceof SequenceNode)
                    || (type != null && !type.equalsIgnoreCase(TYPE))) {
                throw new DeployInputException(source + ": not an Azure container group (expected properties.containers"
                        + (type == null ? "" : " and type " + TYPE + ", got " + type) + ")"
                        + KubernetesManifest.line(root));
            }
            groups++;
            String label = "container group " + YamlNodes.text(root, "name");
            for (String group : GROUPS) {
                Node groupNode = YamlNodes.at(root, "properties", group);
                if (groupNode == null || YamlNodes.isNull(groupNode)) continue;
                if (!(groupNode instanceof SequenceNode seq)) {
                    throw new DeployInputException(
                            source + ": " + label + ": properties." + group + " must be a list, got "
                                    + YamlNodes.describe(groupNode) + KubernetesManifest.line(groupNode));
                }
                for (int i = 0; i < seq.getValue().size(); i++) {
                    Node item = seq.getValue().get(i);
                    String name = YamlNodes.text(item, "name");
                    String where = label + ", " + where(group, i, name);
                    if (!(item instanceof MappingNode)
                            || !(YamlNodes.get(item, "properties") instanceof MappingNode props)) {
                        throw new DeployInputException(source + ": " + where + " has no properties mapping");
                    }
                    report.add(rewriter.rewrite(new YamlContainer(
                            name,
                            where,
                            props,
                            "environmentVariables",
                            List.of("secureValue"),
                            List.of(),
                            doc::markChanged)));
                }
            }
        }
        if (groups == 0) throw new DeployInputException(source + ": empty document: no container group");
        return new Rewritten(YamlStream.render(docs), report);
    }

    private static Rewritten json(String text, String source, DeploySettings settings) {
        JsonNode root = JsonDocument.read(text, source);
        DeployReport report = new DeployReport("aci", source, settings.check());
        ContainerRewriter rewriter = new ContainerRewriter(settings, false);
        int groups = 0;
        if (root.has("resources") && root.get("resources").isArray()) {
            for (JsonNode resource : root.get("resources")) {
                if (TYPE.equalsIgnoreCase(JsonContainer.text(resource, "type"))) {
                    group(resource, source, report, rewriter);
                    groups++;
                }
            }
        } else if (root.at("/properties/containers").isArray()) {
            String type = JsonContainer.text(root, "type");
            if (type != null && !type.equalsIgnoreCase(TYPE)) {
                throw new DeployInputException(source + ": not an Azure container group: type " + type);
            }
            group(root, source, report, rewriter);
            groups++;
        }
        if (groups == 0) {
            throw new DeployInputException(source + ": not an Azure container group (expected properties.containers, "
                    + "or an ARM template with a resource of type " + TYPE + ")");
        }
        return new Rewritten(report.changed() ? JsonDocument.write(root, text) : text, report);
    }

    private static void group(JsonNode group, String source, DeployReport report, ContainerRewriter rewriter) {
        String label = "container group " + JsonContainer.text(group, "name");
        for (String key : GROUPS) {
            JsonNode seq = group.at("/properties/" + key);
            if (seq.isMissingNode() || seq.isNull()) continue;
            if (!seq.isArray()) {
                throw new DeployInputException(
                        source + ": " + label + ": properties." + key + " must be a list, got " + seq);
            }
            for (int i = 0; i < seq.size(); i++) {
                JsonNode item = seq.get(i);
                String name = JsonContainer.text(item, "name");
                String where = label + ", " + where(key, i, name);
                if (!(item.get("properties") instanceof ObjectNode props)) {
                    throw new DeployInputException(source + ": " + where + " has no properties object");
                }
                report.add(rewriter.rewrite(new JsonContainer(
                        name, where, props, "environmentVariables", List.of("secureValue"), null, List.of())));
            }
        }
    }

    private static String where(String group, int i, String name) {
        String noun = group.equals("initContainers") ? "init container" : "container";
        return noun + " " + (name == null ? group + "[" + i + "]" : name);
    }
}
