package dev.inlay.deploy;

import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Present;
import org.snakeyaml.engine.v2.api.lowlevel.Serialize;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A YAML stream cut into its documents so that a document inlay does not change is written back byte for byte, and
 * a changed one is re-emitted from its node graph with its comments, key order, scalar styles and anchors, and the
 * indentation style it was written in. Cutting at {@code ---} lines is exact: a line that starts with {@code ---}
 * and a blank is a document marker everywhere in YAML, even inside block scalars.
 */
final class YamlStream {
    private static final Pattern DOCUMENT_START = Pattern.compile("^---(?:[ \\t].*)?$");

    private YamlStream() {}

    /** One document of the stream: its original text, and its node graph (null when it holds only comments). */
    static final class Document {
        private final String text;
        private final Node root;
        private final boolean explicitStart;
        private boolean changed;

        private Document(String text, Node root, boolean explicitStart) {
            this.text = text;
            this.root = root;
            this.explicitStart = explicitStart;
        }

        Node root() {
            return root;
        }

        /** A document inlay adds to the stream (a config map), written after the others. */
        static Document created(Node root) {
            Document d = new Document("", root, true);
            d.changed = true;
            return d;
        }

        void markChanged() {
            changed = true;
        }

        String render() {
            if (!changed) return text;
            Style style = Style.of(root);
            DumpSettings settings = DumpSettings.builder()
                    .setDumpComments(true)
                    .setExplicitStart(explicitStart)
                    .setSplitLines(false)
                    .setWidth(Integer.MAX_VALUE / 2)
                    .setIndent(style.indent)
                    .setIndicatorIndent(style.indentedSequences ? style.indent : 0)
                    .setIndentWithIndicator(style.indentedSequences)
                    .setDefaultFlowStyle(FlowStyle.BLOCK)
                    .build();
            return new Present(settings)
                    .emitToString(new Serialize(settings).serializeOne(root).iterator());
        }
    }

    static List<Document> parse(String text, String source) {
        List<Document> docs = new ArrayList<>();
        int start = 0;
        int line = 0;
        int segmentLine = 0;
        int pos = 0;
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            int next = eol < 0 ? text.length() : eol + 1;
            String content = text.substring(pos, eol < 0 ? text.length() : eol).replace("\r", "");
            if (DOCUMENT_START.matcher(content).matches() && pos > start) {
                docs.add(compose(text.substring(start, pos), segmentLine, source));
                start = pos;
                segmentLine = line;
            }
            line++;
            pos = next;
        }
        if (start < text.length() || docs.isEmpty()) docs.add(compose(text.substring(start), segmentLine, source));
        return docs;
    }

    static String render(List<Document> docs) {
        StringBuilder sb = new StringBuilder();
        for (Document d : docs) {
            String text = d.render();
            if (d.text.isEmpty() && sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') sb.append('\n');
            sb.append(text);
        }
        return sb.toString();
    }

    private static Document compose(String segment, int firstLine, String source) {
        LoadSettings settings =
                LoadSettings.builder().setParseComments(true).setLabel(source).build();
        // Blank lines in front keep the parser's line numbers those of the whole file, for error messages.
        String numbered = "\n".repeat(firstLine) + segment;
        try {
            Node root = new Compose(settings).composeString(numbered).orElse(null);
            boolean explicit = DOCUMENT_START
                    .matcher(segment.lines().findFirst().orElse(""))
                    .matches();
            return new Document(segment, root, explicit);
        } catch (YamlEngineException e) {
            throw new DeployInputException(source + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    /** Indent width and whether block sequences are indented under their key, as most of the document does it. */
    private record Style(int indent, boolean indentedSequences) {
        static Style of(Node root) {
            int[] votes = new int[2];
            Map<Integer, Integer> indents = new java.util.HashMap<>();
            walk(root, votes, indents, new IdentityHashMap<>());
            int indent = 2;
            int best = 0;
            for (Map.Entry<Integer, Integer> e : indents.entrySet()) {
                if (e.getValue() > best) {
                    best = e.getValue();
                    indent = e.getKey();
                }
            }
            return new Style(indent, votes[1] >= votes[0]);
        }

        private static void walk(Node node, int[] votes, Map<Integer, Integer> indents, Map<Node, Boolean> seen) {
            if (node == null || seen.put(node, Boolean.TRUE) != null) return;
            if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    Node k = t.getKeyNode();
                    Node v = t.getValueNode();
                    int keyColumn = k.getStartMark().map(x -> x.getColumn()).orElse(-1);
                    if (v instanceof SequenceNode s
                            && s.getFlowStyle() == FlowStyle.BLOCK
                            && !s.getValue().isEmpty()) {
                        int col = s.getStartMark().map(x -> x.getColumn()).orElse(-1);
                        if (col >= 0 && keyColumn >= 0) votes[col > keyColumn ? 1 : 0]++;
                    }
                    if (v instanceof MappingNode vm
                            && vm.getFlowStyle() == FlowStyle.BLOCK
                            && !vm.getValue().isEmpty()) {
                        int col = vm.getValue()
                                .get(0)
                                .getKeyNode()
                                .getStartMark()
                                .map(x -> x.getColumn())
                                .orElse(-1);
                        int d = col - keyColumn;
                        if (keyColumn >= 0 && d >= 2 && d <= 8) indents.merge(d, 1, Integer::sum);
                    }
                    walk(k, votes, indents, seen);
                    walk(v, votes, indents, seen);
                }
            } else if (node instanceof SequenceNode s) {
                for (Node item : s.getValue()) walk(item, votes, indents, seen);
            }
        }
    }
}
