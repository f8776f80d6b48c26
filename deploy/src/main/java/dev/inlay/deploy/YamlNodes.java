package dev.inlay.deploy;

import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.ArrayList;
import java.util.List;

/** Reading and editing snakeyaml-engine node graphs by key, keeping comments and styles of what is not replaced. */
final class YamlNodes {
    private YamlNodes() {}

    static Node get(Node mapping, String key) {
        if (!(mapping instanceof MappingNode m)) return null;
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return t.getValueNode();
        }
        return null;
    }

    /** The node at a path of keys, or null. */
    static Node at(Node node, String... keys) {
        Node n = node;
        for (String k : keys) {
            n = get(n, k);
            if (n == null) return null;
        }
        return n;
    }

    static String text(Node mapping, String key) {
        return get(mapping, key) instanceof ScalarNode s && !isNull(s) ? s.getValue() : null;
    }

    static boolean isNull(Node n) {
        return n == null || (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
    }

    /** Sets a scalar: the existing value keeps its position, style and comments; a new key goes to the end. */
    static void putScalar(MappingNode m, String key, String value) {
        List<NodeTuple> tuples = m.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            NodeTuple t = tuples.get(i);
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                Node old = t.getValueNode();
                ScalarStyle style = old instanceof ScalarNode s && !isNull(s) ? s.getScalarStyle() : ScalarStyle.PLAIN;
                ScalarNode replacement = new ScalarNode(Tag.STR, value, style);
                replacement.setInLineComments(old.getInLineComments());
                tuples.set(i, new NodeTuple(t.getKeyNode(), replacement));
                return;
            }
        }
        tuples.add(new NodeTuple(scalar(key), scalar(value)));
    }

    static void remove(MappingNode m, String key) {
        m.getValue()
                .removeIf(t ->
                        t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key));
    }

    /** The block sequence under {@code key}, created when absent or null; an empty flow {@code []} becomes block. */
    static SequenceNode sequence(MappingNode m, String key, String where) {
        Node n = get(m, key);
        if (n instanceof SequenceNode s) {
            if (s.getValue().isEmpty()) s.setFlowStyle(FlowStyle.BLOCK);
            return s;
        }
        if (n != null && !isNull(n)) throw new DeployInputException(where + ": " + key + " must be a list");
        SequenceNode s = new SequenceNode(Tag.SEQ, new ArrayList<>(), FlowStyle.BLOCK);
        remove(m, key);
        m.getValue().add(new NodeTuple(scalar(key), s));
        return s;
    }

    static MappingNode mapping() {
        return new MappingNode(Tag.MAP, new ArrayList<>(), FlowStyle.BLOCK);
    }

    static ScalarNode scalar(String value) {
        // PLAIN with the str tag: the emitter quotes it when plain would read as a number, boolean or null.
        return new ScalarNode(Tag.STR, value, ScalarStyle.PLAIN);
    }

    /** A reference as a short flow-style text for the summary; a bare scalar is a secret and is not shown. */
    static String describe(Node n) {
        if (n instanceof ScalarNode) return "(secret value)";
        StringBuilder sb = new StringBuilder();
        flow(n, sb);
        return sb.toString();
    }

    private static void flow(Node n, StringBuilder sb) {
        if (n instanceof ScalarNode s) {
            sb.append(s.getValue());
        } else if (n instanceof MappingNode m) {
            sb.append('{');
            for (int i = 0; i < m.getValue().size(); i++) {
                if (i > 0) sb.append(", ");
                flow(m.getValue().get(i).getKeyNode(), sb);
                sb.append(": ");
                flow(m.getValue().get(i).getValueNode(), sb);
            }
            sb.append('}');
        } else if (n instanceof SequenceNode s) {
            sb.append('[');
            for (int i = 0; i < s.getValue().size(); i++) {
                if (i > 0) sb.append(", ");
                flow(s.getValue().get(i), sb);
            }
            sb.append(']');
        }
    }
}
