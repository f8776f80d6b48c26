package dev.inlay.policy;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates policy documents. SnakeYAML Engine composes the node tree (with positions); this class binds
 * it to the model and checks every field and pattern, so every problem becomes a {@link PolicyException} with a
 * position and a hint.
 */
public final class PolicyParser {
    /** Large enough for a 100,000-rule policy, small enough that a hostile document cannot exhaust memory. */
    static final int MAX_CODE_POINTS = 32 * 1024 * 1024;
    /** A policy file larger than this is refused before it is read (docs/POLICY.md, "Limits"). */
    public static final long MAX_BYTES = 32L * 1024 * 1024;
    /**
     * The longest line. SnakeYAML Engine's reader copies its whole look-ahead window each time a token outgrows it,
     * so scanning a run without a space or line break (a scalar, a comment) is quadratic in its length: 8 M
     * characters took 21 s. Refusing long lines before the engine sees them keeps scanning linear.
     */
    public static final int MAX_LINE_CHARS = 64 * 1024;
    /** The longest value: paths, names and patterns are far shorter (PATH_MAX is 4,096). */
    public static final int MAX_SCALAR_CHARS = 64 * 1024;
    /** How deeply collections may nest: a policy needs 5 levels; the engine composes nested nodes recursively. */
    public static final int MAX_DEPTH = 64;

    private static final List<String> ROOT_FIELDS = List.of("apiVersion", "kind", "metadata", "spec");
    private static final List<String> METADATA_FIELDS = List.of("name", "labels", "annotations");
    private static final List<String> SPEC_FIELDS;
    private static final List<String> RULE_BASE_FIELDS = List.of("id", "action", "operations");

    static {
        List<String> spec = new ArrayList<>(List.of("mode", "failOpen", "defaults"));
        for (Category c : Category.values()) spec.add(c.yamlName());
        SPEC_FIELDS = List.copyOf(spec);
    }

    private final String source;
    /**
     * Whether nodes carry their positions. A valid policy is read without: two marks per node made a 100,000-rule
     * policy's node tree fill most of a 512 MB heap (docs/BENCHMARKS.md, "Policy command line at scale"); a
     * policy with a problem is read a second time with them, so that every error still says line and column.
     */
    private final boolean marks;

    private PolicyParser(String source, boolean marks) {
        this.source = source;
        this.marks = marks;
    }

    public static Policy parse(Path file) throws PolicyException {
        return parse(new String(read(file), StandardCharsets.UTF_8), file.toString());
    }

    /** A policy file's bytes; a file over {@link #MAX_BYTES} is refused by its size, before it is read. */
    public static byte[] read(Path file) throws PolicyException {
        try (InputStream in = Files.newInputStream(file)) {
            return readBounded(in, Files.size(file), file.toString());
        } catch (IOException e) {
            throw new PolicyException(file.toString(), 0, 0, "cannot read policy: " + e, null);
        }
    }

    /**
     * Reads at most {@link #MAX_BYTES}: refused up front when {@code size} (what the file system reports) is over
     * it, and after one byte more when the file grew while being read.
     */
    public static byte[] readBounded(InputStream in, long size, String source) throws IOException, PolicyException {
        if (size > MAX_BYTES) throw tooLarge(source, size + " bytes");
        byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) throw tooLarge(source, "over " + MAX_BYTES + " bytes (it grew while read)");
        return bytes;
    }

    private static PolicyException tooLarge(String source, String size) {
        return new PolicyException(
                source,
                0,
                0,
                "the policy is " + size + ", more than the limit of " + MAX_BYTES + " (32 MiB)",
                "a policy of 100,000 rules is" + " about 10 MB; check that this is the policy file");
    }

    public static Policy parse(String text, String source) throws PolicyException {
        try {
            return new PolicyParser(source, false).document(text);
        } catch (PolicyException withoutPosition) {
            // Read again with positions, only to say where the problem is (the same document fails the same way).
            return new PolicyParser(source, true).document(text);
        }
    }

    /** Refuses a line over {@link #MAX_LINE_CHARS}, in one pass, before the engine scans anything. */
    private void checkLines(String text) throws PolicyException {
        int line = 1;
        int start = 0;
        int n = text.length();
        if (n > MAX_CODE_POINTS) {
            throw new PolicyException(
                    source,
                    0,
                    0,
                    "the policy is " + n + " characters, more than the limit of " + MAX_CODE_POINTS,
                    null);
        }
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : '\n';
            if (c != '\n' && c != '\r') continue;
            if (i - start > MAX_LINE_CHARS) {
                throw new PolicyException(
                        source,
                        line,
                        MAX_LINE_CHARS + 1,
                        "line " + line + " is " + (i - start) + " characters long, more than the limit of "
                                + MAX_LINE_CHARS,
                        "no value in a policy needs that much; put list items on lines of their own");
            }
            if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
            line++;
            start = i + 1;
        }
    }

    /** Thrown through the engine by {@link BoundedParser}; turned into a {@link PolicyException}. */
    private static final class LimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Optional<Mark> mark;
        final String hint;

        LimitExceeded(Optional<Mark> mark, String message, String hint) {
            super(message, null, false, false);
            this.mark = mark;
            this.hint = hint;
        }
    }

    /**
     * The engine's parser with limits on nesting depth and value length, checked on each event before the composer
     * (which recurses once per level) sees it: a document nested 10,000 levels deep is refused at level 65 instead
     * of overflowing the stack.
     */
    private static final class BoundedParser implements Parser {
        private final Parser parser;
        private int depth;

        BoundedParser(Parser parser) {
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return parser.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return parser.hasNext();
        }

        @Override
        public Event next() {
            Event event = parser.next();
            switch (event.getEventId()) {
                case SequenceStart, MappingStart -> {
                    if (++depth > MAX_DEPTH) {
                        throw new LimitExceeded(
                                event.getStartMark(),
                                "nested more than " + MAX_DEPTH + " levels deep",
                                "a policy needs five levels; check the brackets and indentation");
                    }
                }
                case SequenceEnd, MappingEnd -> depth--;
                case Scalar -> {
                    int length = ((ScalarEvent) event).getValue().length();
                    if (length > MAX_SCALAR_CHARS) {
                        throw new LimitExceeded(
                                event.getStartMark(),
                                "a value of " + length + " characters, more than the limit of " + MAX_SCALAR_CHARS,
                                null);
                    }
                }
                default -> {}
            }
            return event;
        }
    }

    private Policy document(String text) throws PolicyException {
        checkLines(text);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(50)
                .setCodePointLimit(MAX_CODE_POINTS)
                .setUseMarks(marks)
                .build();
        Node root;
        try {
            Parser events = new BoundedParser(new ParserImpl(settings, new StreamReader(settings, text)));
            Iterator<Node> docs = new Composer(settings, events);
            if (!docs.hasNext())
                throw error(
                        null, "the document is empty", "a policy starts with 'apiVersion: " + Policy.API_VERSION + "'");
            root = docs.next();
            if (docs.hasNext()) {
                Node second = docs.next();
                throw error(second, "more than one YAML document", "put one policy in each file");
            }
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            throw new PolicyException(
                    source,
                    mark.map(m -> m.getLine() + 1).orElse(0),
                    mark.map(m -> m.getColumn() + 1).orElse(0),
                    "not valid YAML: " + e.getProblem(),
                    "check indentation and quoting near this position");
        } catch (YamlEngineException e) {
            throw new PolicyException(source, 0, 0, "not valid YAML: " + e.getMessage(), null);
        } catch (LimitExceeded e) {
            throw new PolicyException(
                    source,
                    e.mark.map(m -> m.getLine() + 1).orElse(0),
                    e.mark.map(m -> m.getColumn() + 1).orElse(0),
                    e.getMessage(),
                    e.hint);
        } catch (StackOverflowError e) {
            // The limits above make this unreachable; should the engine recurse elsewhere, the document is still
            // refused as input, not left to end the caller (an agent before main(), a reload thread).
            throw new PolicyException(source, 0, 0, "nested too deeply to read", null);
        }
        Map<String, NodeTuple> fields = mapping(root, "the policy document", ROOT_FIELDS);
        String apiVersion = requiredScalar(fields, root, "apiVersion");
        if (!Policy.API_VERSION.equals(apiVersion)) {
            throw error(
                    fields.get("apiVersion").getValueNode(),
                    "unsupported apiVersion '" + apiVersion + "'",
                    "this version of inlay reads 'apiVersion: " + Policy.API_VERSION + "'");
        }
        String kind = requiredScalar(fields, root, "kind");
        if (!Policy.KIND.equals(kind)) {
            throw error(fields.get("kind").getValueNode(), "kind is '" + kind + "', not '" + Policy.KIND + "'", null);
        }
        Node metadataNode = required(fields, root, "metadata");
        Map<String, NodeTuple> metadata = mapping(metadataNode, "metadata", METADATA_FIELDS);
        String name = requiredScalar(metadata, metadataNode, "name");
        Policy.Builder policy = Policy.builder(name);
        if (metadata.containsKey("labels")) {
            stringMap(metadata.get("labels").getValueNode(), "metadata.labels").forEach(policy::label);
        }
        if (metadata.containsKey("annotations")) {
            stringMap(metadata.get("annotations").getValueNode(), "metadata.annotations"); // validated, not modelled
        }
        Node specNode = required(fields, root, "spec");
        spec(mapping(specNode, "spec", SPEC_FIELDS), policy);
        return policy.build();
    }

    private void spec(Map<String, NodeTuple> spec, Policy.Builder policy) throws PolicyException {
        if (spec.containsKey("mode")) {
            Node n = spec.get("mode").getValueNode();
            String s = scalar(n, "spec.mode");
            Mode mode = Mode.fromWire(s);
            if (mode == null) throw error(n, "unknown mode '" + s + "'", "one of learn, monitor, enforce");
            policy.mode(mode);
        }
        if (spec.containsKey("failOpen")) {
            Node n = spec.get("failOpen").getValueNode();
            String s = scalar(n, "spec.failOpen");
            if (!s.equals("true") && !s.equals("false")) throw error(n, "failOpen must be true or false", null);
            policy.failOpen(Boolean.parseBoolean(s));
        }
        if (spec.containsKey("defaults")) {
            List<String> categories = new ArrayList<>();
            for (Category c : Category.values()) categories.add(c.yamlName());
            Node defaultsNode = spec.get("defaults").getValueNode();
            for (Map.Entry<String, NodeTuple> e :
                    mapping(defaultsNode, "spec.defaults", categories).entrySet()) {
                policy.defaultAction(
                        Category.fromYaml(e.getKey()), action(e.getValue().getValueNode()));
            }
        }
        Map<String, Node> ids = new HashMap<>();
        for (Category category : Category.values()) {
            NodeTuple t = spec.get(category.yamlName());
            if (t == null) continue;
            Node list = t.getValueNode();
            if (isNull(list)) continue;
            if (!(list instanceof SequenceNode seq)) {
                throw error(
                        list,
                        "spec." + category.yamlName() + " must be a list of rules",
                        "start each rule with '- id: ...'");
            }
            for (Node ruleNode : seq.getValue()) {
                Rule rule = rule(category, ruleNode);
                Node previous = ids.putIfAbsent(rule.id(), ruleNode);
                if (previous != null) {
                    throw error(
                            ruleNode,
                            "duplicate rule id '" + rule.id() + "'",
                            "rule ids are unique in a policy; the first is at line " + line(previous));
                }
                policy.rule(rule);
            }
        }
    }

    private Rule rule(Category category, Node node) throws PolicyException {
        List<String> known = new ArrayList<>(RULE_BASE_FIELDS);
        for (Selector s : category.selectors()) known.add(s.yamlName());
        String what = "a " + category.yamlName() + " rule";
        Map<String, NodeTuple> fields = mapping(node, what, known);
        String id = requiredScalar(fields, node, "id");
        if (!RuleIds.isValid(id)) {
            throw error(fields.get("id").getValueNode(), "invalid rule id '" + id + "'", RuleIds.HINT);
        }
        Rule.Builder rule = Rule.builder(id, category);
        if (fields.containsKey("action"))
            rule.action(action(fields.get("action").getValueNode()));
        if (fields.containsKey("operations")) {
            Set<Operation> ops = EnumSet.noneOf(Operation.class);
            for (Node opNode : sequence(fields.get("operations").getValueNode(), "operations")) {
                String s = scalar(opNode, "an operation");
                Operation op = Operation.fromWire(s);
                if (op == null || !category.operations().contains(op)) {
                    throw error(
                            opNode,
                            "'" + s + "' is not an operation of " + category.yamlName(),
                            "one of " + wireNames(category.operations()));
                }
                ops.add(op);
            }
            rule.operations(ops);
        }
        boolean any = false;
        for (Selector selector : category.selectors()) {
            NodeTuple t = fields.get(selector.yamlName());
            if (t == null) continue;
            List<String> values = new ArrayList<>();
            List<Node> items = sequence(t.getValueNode(), selector.yamlName());
            if (items.isEmpty() && selector != Selector.ARGS) { // "args: []" means exactly no arguments
                throw error(
                        t.getValueNode(),
                        selector.yamlName() + " is empty, so the rule can never match",
                        "remove the field to match any value, or list at least one");
            }
            for (Node item : items) {
                String value = scalar(item, "a value of " + selector.yamlName());
                String problem = Patterns.check(selector, value);
                if (problem != null)
                    throw error(
                            item,
                            "bad " + selector.yamlName() + " pattern '" + value + "': " + problem,
                            Patterns.hint(selector));
                values.add(Patterns.canonical(selector, value));
            }
            rule.selector(selector, values);
            if (selector != Selector.COMPONENTS) any = true; // who asks does not say which resources
        }
        if (!any && category.selectors().contains(Selector.PATHS) && category != Category.FILE) {
            // A native-library or drift exception without paths would silently allow everything.
            throw error(node, what + " needs 'paths'", "list the paths this rule covers");
        }
        if (!any && category == Category.FILE) {
            throw error(node, what + " needs 'paths'", "list the paths this rule covers, e.g. paths: [\"/app/**\"]");
        }
        return rule.build();
    }

    private Action action(Node node) throws PolicyException {
        String s = scalar(node, "an action");
        Action a = Action.fromWire(s);
        if (a == null) throw error(node, "unknown action '" + s + "'", "one of allow, alert, deny, kill");
        return a;
    }

    private Map<String, NodeTuple> mapping(Node node, String what, List<String> known) throws PolicyException {
        if (!(node instanceof MappingNode m))
            throw error(node, what + " must be a mapping of fields", "known fields: " + String.join(", ", known));
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalar(t.getKeyNode(), "a field name");
            if (!known.contains(key)) {
                String near = Suggest.nearest(key, known);
                throw error(
                        t.getKeyNode(),
                        "unknown field '" + key + "' in " + what,
                        (near != null ? "did you mean '" + near + "'? " : "") + "known fields: "
                                + String.join(", ", known));
            }
            if (out.put(key, t) != null)
                throw error(t.getKeyNode(), "field '" + key + "' appears twice in " + what, null);
        }
        return out;
    }

    private Map<String, String> stringMap(Node node, String what) throws PolicyException {
        if (!(node instanceof MappingNode m)) throw error(node, what + " must be a mapping of strings", null);
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            out.put(scalar(t.getKeyNode(), "a key of " + what), scalar(t.getValueNode(), "a value of " + what));
        }
        return out;
    }

    private List<Node> sequence(Node node, String what) throws PolicyException {
        if (node instanceof SequenceNode s) return s.getValue();
        throw error(node, what + " must be a list", what + ": [a, b] or one '- item' per line");
    }

    private String scalar(Node node, String what) throws PolicyException {
        if (node instanceof ScalarNode s) return s.getValue();
        throw error(
                node,
                what + " must be a single value, not a " + (node instanceof MappingNode ? "mapping" : "list"),
                null);
    }

    private Node required(Map<String, NodeTuple> fields, Node parent, String key) throws PolicyException {
        NodeTuple t = fields.get(key);
        if (t == null) throw error(parent, "missing field '" + key + "'", null);
        return t.getValueNode();
    }

    private String requiredScalar(Map<String, NodeTuple> fields, Node parent, String key) throws PolicyException {
        Node n = required(fields, parent, key);
        String s = scalar(n, key);
        if (s.isEmpty()) throw error(n, "'" + key + "' is empty", null);
        return s;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s
                && (s.getValue().isEmpty()
                        || s.getValue().equals("null")
                        || s.getValue().equals("~"))
                && s.getTag().getValue().endsWith(":null");
    }

    private static String wireNames(Set<Operation> ops) {
        List<String> names = new ArrayList<>();
        for (Operation o : ops) names.add(o.wireName());
        return String.join(", ", names);
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private PolicyException error(Node node, String problem, String hint) {
        if (node == null) return new PolicyException(source, 0, 0, problem, hint);
        Optional<Mark> mark = node.getStartMark();
        return new PolicyException(
                source,
                mark.map(m -> m.getLine() + 1).orElse(0),
                mark.map(m -> m.getColumn() + 1).orElse(0),
                problem,
                hint);
    }

    static Map<Selector, List<String>> emptySelectors() {
        return new EnumMap<>(Selector.class);
    }
}
