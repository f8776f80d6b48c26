package dev.inlay.deploy;

import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code deploy k8s --policy-configmap}: the policy as a ConfigMap (one per namespace that has a wrapped workload),
 * mounted read-only as a directory at {@link DeploySettings#POLICY_MOUNT_DIR} in every wrapped container. A directory
 * mount, not a subPath: the kubelet updates it when the ConfigMap changes, and the agent reloads the file.
 * Running it again changes nothing: an existing volume, mount or ConfigMap of that name is reused.
 */
final class PolicyConfigMap {
    private static final String NO_NAMESPACE = "";

    private final String name;
    private final String policy;
    private final Set<String> namespaces = new LinkedHashSet<>();

    PolicyConfigMap(String name, String policy) {
        this.name = name;
        this.policy = policy;
    }

    void mount(
            MappingNode podSpec,
            List<MappingNode> containers,
            String namespace,
            String label,
            YamlStream.Document doc,
            DeployReport report) {
        namespaces.add(namespace == null ? NO_NAMESPACE : namespace);
        SequenceNode volumes = YamlNodes.sequence(podSpec, "volumes", label);
        if (!hasNamed(volumes, DeploySettings.POLICY_VOLUME)) {
            MappingNode volume = YamlNodes.mapping();
            YamlNodes.putScalar(volume, "name", DeploySettings.POLICY_VOLUME);
            MappingNode configMap = YamlNodes.mapping();
            YamlNodes.putScalar(configMap, "name", name);
            volume.getValue().add(new NodeTuple(YamlNodes.scalar("configMap"), configMap));
            volumes.getValue().add(volume);
            doc.markChanged();
            report.note(label + ": + volume " + DeploySettings.POLICY_VOLUME + " from ConfigMap " + name);
        }
        for (MappingNode c : containers) {
            SequenceNode mounts = YamlNodes.sequence(c, "volumeMounts", label);
            if (hasNamed(mounts, DeploySettings.POLICY_VOLUME)) continue;
            MappingNode mount = YamlNodes.mapping();
            YamlNodes.putScalar(mount, "name", DeploySettings.POLICY_VOLUME);
            YamlNodes.putScalar(mount, "mountPath", DeploySettings.POLICY_MOUNT_DIR);
            mount.getValue()
                    .add(new NodeTuple(
                            YamlNodes.scalar("readOnly"), new ScalarNode(Tag.BOOL, "true", ScalarStyle.PLAIN)));
            mounts.getValue().add(mount);
            doc.markChanged();
            report.note(label + ", container " + YamlNodes.text(c, "name") + ": + volumeMount "
                    + DeploySettings.POLICY_VOLUME + " at " + DeploySettings.POLICY_MOUNT_DIR);
        }
    }

    /** Updates the ConfigMap of each namespace in the stream, or appends it. */
    void addTo(List<YamlStream.Document> docs, DeployReport report) {
        for (String ns : namespaces) {
            MappingNode existing = find(docs, ns);
            if (existing != null) {
                MappingNode data = dataOf(existing);
                if (!policy.equals(YamlNodes.text(data, DeploySettings.POLICY_FILE_NAME))) {
                    data.getValue()
                            .removeIf(t -> t.getKeyNode() instanceof ScalarNode k
                                    && k.getValue().equals(DeploySettings.POLICY_FILE_NAME));
                    data.getValue()
                            .add(new NodeTuple(YamlNodes.scalar(DeploySettings.POLICY_FILE_NAME), literal(policy)));
                    markChanged(docs, existing);
                    report.note("ConfigMap " + qualified(ns) + ": policy updated");
                }
                continue;
            }
            MappingNode root = YamlNodes.mapping();
            YamlNodes.putScalar(root, "apiVersion", "v1");
            YamlNodes.putScalar(root, "kind", "ConfigMap");
            MappingNode metadata = YamlNodes.mapping();
            YamlNodes.putScalar(metadata, "name", name);
            if (!ns.equals(NO_NAMESPACE)) YamlNodes.putScalar(metadata, "namespace", ns);
            root.getValue().add(new NodeTuple(YamlNodes.scalar("metadata"), metadata));
            MappingNode data = YamlNodes.mapping();
            data.getValue().add(new NodeTuple(YamlNodes.scalar(DeploySettings.POLICY_FILE_NAME), literal(policy)));
            root.getValue().add(new NodeTuple(YamlNodes.scalar("data"), data));
            docs.add(YamlStream.Document.created(root));
            report.note("ConfigMap " + qualified(ns) + ": + policy (" + policy.length() + " characters)");
        }
    }

    private String qualified(String ns) {
        return ns.equals(NO_NAMESPACE) ? name : ns + "/" + name;
    }

    private MappingNode find(List<YamlStream.Document> docs, String ns) {
        for (YamlStream.Document d : docs) {
            if (!(d.root() instanceof MappingNode root)) continue;
            if (!"ConfigMap".equals(YamlNodes.text(root, "kind"))) continue;
            Node meta = YamlNodes.get(root, "metadata");
            String docNs = YamlNodes.text(meta, "namespace");
            if (name.equals(YamlNodes.text(meta, "name")) && Objects.equals(ns, docNs == null ? NO_NAMESPACE : docNs))
                return root;
        }
        return null;
    }

    private static MappingNode dataOf(MappingNode configMap) {
        if (YamlNodes.get(configMap, "data") instanceof MappingNode data) return data;
        MappingNode data = YamlNodes.mapping();
        YamlNodes.remove(configMap, "data");
        configMap.getValue().add(new NodeTuple(YamlNodes.scalar("data"), data));
        return data;
    }

    private static void markChanged(List<YamlStream.Document> docs, MappingNode root) {
        for (YamlStream.Document d : docs) if (d.root() == root) d.markChanged();
    }

    private static boolean hasNamed(SequenceNode list, String entryName) {
        for (Node n : list.getValue()) if (entryName.equals(YamlNodes.text(n, "name"))) return true;
        return false;
    }

    private static ScalarNode literal(String text) {
        return new ScalarNode(Tag.STR, text, ScalarStyle.LITERAL);
    }
}
