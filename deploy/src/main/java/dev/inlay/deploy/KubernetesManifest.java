package dev.inlay.deploy;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A Kubernetes manifest stream: workloads get their pod template's containers and init containers rewritten;
 * every other object, and every document that ends up unchanged, is written back byte for byte in its place.
 */
public final class KubernetesManifest {
    private KubernetesManifest() {}

    public static Rewritten rewrite(String text, String source, DeploySettings settings) {
        List<YamlStream.Document> docs = YamlStream.parse(text, source);
        DeployReport report = new DeployReport("k8s", source, settings.check());
        ContainerRewriter rewriter = new ContainerRewriter(settings, true);
        PolicyConfigMap configMap = settings.policyConfigMapText() == null
                ? null
                : new PolicyConfigMap(settings.policyConfigMapName(), settings.policyConfigMapText());
        for (YamlStream.Document doc : docs) {
            if (doc.root() == null || YamlNodes.isNull(doc.root())) continue;
            object(doc.root(), doc, report, rewriter, source, configMap);
        }
        if (configMap != null) configMap.addTo(docs, report);
        return new Rewritten(YamlStream.render(docs), report);
    }

    private static void object(
            Node root,
            YamlStream.Document doc,
            DeployReport report,
            ContainerRewriter rewriter,
            String source,
            PolicyConfigMap configMap) {
        if (!(root instanceof MappingNode)) {
            throw new DeployInputException(
                    source + ": not a Kubernetes object (a document that is not a mapping)" + line(root));
        }
        String kind = YamlNodes.text(root, "kind");
        if (kind == null || YamlNodes.text(root, "apiVersion") == null) {
            throw new DeployInputException(source + ": not a Kubernetes object (no kind or apiVersion)" + line(root));
        }
        String label = kind + " " + qualifiedName(root);
        if (kind.equals("List") && YamlNodes.get(root, "items") instanceof SequenceNode items) {
            for (Node item : items.getValue()) object(item, doc, report, rewriter, source, configMap);
            return;
        }
        String[] path = podSpecPath(kind);
        if (path == null) {
            report.note(label + ": passed through");
            return;
        }
        if (!(YamlNodes.at(root, path) instanceof MappingNode podSpec)) {
            throw new DeployInputException(
                    source + ": " + label + " has no pod spec at " + String.join(".", path) + line(root));
        }
        List<MappingNode> wrapped = new ArrayList<>();
        containers(podSpec, "initContainers", "init container", label, doc, report, rewriter, wrapped);
        containers(podSpec, "containers", "container", label, doc, report, rewriter, wrapped);
        if (configMap != null && !wrapped.isEmpty()) {
            String ns = YamlNodes.text(YamlNodes.get(root, "metadata"), "namespace");
            configMap.mount(podSpec, wrapped, ns, label, doc, report);
        }
    }

    /** Where the pod spec is, by kind; null for kinds that run no containers of their own. */
    static String[] podSpecPath(String kind) {
        return switch (kind) {
            case "Deployment",
                    "StatefulSet",
                    "DaemonSet",
                    "ReplicaSet",
                    "Job",
                    "ReplicationController",
                    "PodTemplate" ->
                kind.equals("PodTemplate")
                        ? new String[] {"template", "spec"}
                        : new String[] {"spec", "template", "spec"};
            case "CronJob" -> new String[] {"spec", "jobTemplate", "spec", "template", "spec"};
            case "Pod" -> new String[] {"spec"};
            default -> null;
        };
    }

    private static void containers(
            MappingNode podSpec,
            String key,
            String noun,
            String label,
            YamlStream.Document doc,
            DeployReport report,
            ContainerRewriter rewriter,
            List<MappingNode> wrapped) {
        Node list = YamlNodes.get(podSpec, key);
        if (list == null || YamlNodes.isNull(list)) return;
        if (!(list instanceof SequenceNode seq)) {
            throw new DeployInputException(
                    label + ": " + key + " must be a list, got " + YamlNodes.describe(list) + line(list));
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            if (!(seq.getValue().get(i) instanceof MappingNode c)) {
                throw new DeployInputException(label + ": " + key + "[" + i + "] is not a mapping");
            }
            String name = YamlNodes.text(c, "name");
            List<String> opaque = new ArrayList<>();
            if (YamlNodes.get(c, "envFrom") instanceof SequenceNode envFrom) {
                for (Node from : envFrom.getValue()) opaque.add("envFrom " + YamlNodes.describe(from));
            }
            String where = label + ", " + noun + " " + (name == null ? key + "[" + i + "]" : name);
            ContainerReport r = rewriter.rewrite(
                    new YamlContainer(name, where, c, "env", List.of("valueFrom"), opaque, doc::markChanged));
            report.add(r);
            if (r.status() == ContainerReport.Status.WRAPPED || r.status() == ContainerReport.Status.ALREADY_WRAPPED)
                wrapped.add(c);
        }
    }

    private static String qualifiedName(Node root) {
        Node meta = YamlNodes.get(root, "metadata");
        String name = YamlNodes.text(meta, "name");
        String ns = YamlNodes.text(meta, "namespace");
        if (name == null) name = "(unnamed)";
        return ns == null ? name : ns + "/" + name;
    }

    static String line(Node n) {
        return n.getStartMark().map(m -> " at line " + (m.getLine() + 1)).orElse("");
    }
}
