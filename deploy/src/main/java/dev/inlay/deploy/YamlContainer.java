package dev.inlay.deploy;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.List;

/**
 * A container in a YAML document. {@code body} holds the image and the environment list (the container mapping on
 * Kubernetes and Cloud Run; its {@code properties} on Azure); entries are {@code name}/{@code value} or a reference
 * under one of {@code referenceKeys} ({@code valueFrom}, {@code secureValue}).
 */
final class YamlContainer implements Container {
    private final String name;
    private final String where;
    private final MappingNode body;
    private final String envKey;
    private final List<String> referenceKeys;
    private final List<String> opaque;
    private final Runnable onChange;

    YamlContainer(
            String name,
            String where,
            MappingNode body,
            String envKey,
            List<String> referenceKeys,
            List<String> opaqueSources,
            Runnable onChange) {
        this.name = name;
        this.where = where;
        this.body = body;
        this.envKey = envKey;
        this.referenceKeys = referenceKeys;
        this.opaque = opaqueSources;
        this.onChange = onChange;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public String image() {
        return YamlNodes.text(body, "image");
    }

    @Override
    public void setImage(String image) {
        YamlNodes.putScalar(body, "image", image);
        onChange.run();
    }

    @Override
    public void checkShape() {
        Node image = YamlNodes.get(body, "image");
        if (image != null && !YamlNodes.isNull(image) && !(image instanceof org.snakeyaml.engine.v2.nodes.ScalarNode)) {
            throw new DeployInputException(where + ": image must be a string, got " + YamlNodes.describe(image));
        }
        Node list = YamlNodes.get(body, envKey);
        if (list == null || YamlNodes.isNull(list)) return;
        if (!(list instanceof SequenceNode s)) {
            throw new DeployInputException(where + ": " + envKey + " must be a list, got " + YamlNodes.describe(list)
                    + KubernetesManifest.line(list));
        }
        for (int i = 0; i < s.getValue().size(); i++) {
            Node e = s.getValue().get(i);
            if (!(e instanceof MappingNode) || YamlNodes.text(e, "name") == null) {
                throw new DeployInputException(where + ": " + envKey + "[" + i + "] must be a mapping with a name, got "
                        + YamlNodes.describe(e) + KubernetesManifest.line(e));
            }
        }
    }

    @Override
    public Env env() {
        return new Env() {
            @Override
            public Entry get(String var) {
                MappingNode e = find(var);
                if (e == null) return null;
                for (String ref : referenceKeys) {
                    Node r = YamlNodes.get(e, ref);
                    if (r != null) return new Entry(var, null, ref + " " + YamlNodes.describe(r));
                }
                String value = YamlNodes.text(e, "value");
                return new Entry(var, value == null ? "" : value, null);
            }

            @Override
            public void put(String var, String value) {
                MappingNode e = find(var);
                if (e == null) {
                    e = YamlNodes.mapping();
                    YamlNodes.putScalar(e, "name", var);
                    YamlNodes.sequence(body, envKey, where).getValue().add(e);
                }
                for (String ref : referenceKeys) YamlNodes.remove(e, ref);
                YamlNodes.putScalar(e, "value", value);
                onChange.run();
            }

            @Override
            public void putFieldRef(String var, String fieldPath) {
                MappingNode fieldRef = YamlNodes.mapping();
                YamlNodes.putScalar(fieldRef, "fieldPath", fieldPath);
                MappingNode valueFrom = YamlNodes.mapping();
                valueFrom.getValue().add(new NodeTuple(YamlNodes.scalar("fieldRef"), fieldRef));
                MappingNode e = YamlNodes.mapping();
                YamlNodes.putScalar(e, "name", var);
                e.getValue().add(new NodeTuple(YamlNodes.scalar("valueFrom"), valueFrom));
                YamlNodes.sequence(body, envKey, where).getValue().add(e);
                onChange.run();
            }

            @Override
            public boolean remove(String var) {
                MappingNode e = find(var);
                if (e == null) return false;
                ((SequenceNode) YamlNodes.get(body, envKey)).getValue().remove(e);
                onChange.run();
                return true;
            }

            @Override
            public List<String> opaqueSources() {
                return opaque;
            }
        };
    }

    private MappingNode find(String var) {
        Node list = YamlNodes.get(body, envKey);
        if (!(list instanceof SequenceNode s)) return null;
        for (Node e : s.getValue()) {
            if (e instanceof MappingNode m && var.equals(YamlNodes.text(m, "name"))) return m;
        }
        return null;
    }
}
