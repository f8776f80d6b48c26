package dev.inlay.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a policy as canonical YAML that {@link PolicyParser} reads back to an equal policy: categories in a fixed
 * order, rules in model order, one selector value per line, so that a change to one rule is a small diff.
 */
public final class PolicyWriter {
    private PolicyWriter() {}

    public static String toYaml(Policy policy) {
        return toYaml(policy, Map.of(), List.of());
    }

    /**
     * @param ruleComments comment lines written above each rule, by rule id (evidence: counts, first/last seen)
     * @param header comment lines written at the top of the document
     */
    public static String toYaml(Policy policy, Map<String, List<String>> ruleComments, List<String> header) {
        StringBuilder y = new StringBuilder();
        for (String h : header) comment(y, "", h);
        y.append("apiVersion: ").append(Policy.API_VERSION).append('\n');
        y.append("kind: ").append(Policy.KIND).append('\n');
        y.append("metadata:\n");
        y.append("  name: ").append(quote(policy.name())).append('\n');
        if (!policy.labels().isEmpty()) {
            y.append("  labels:\n");
            policy.labels()
                    .forEach((k, v) -> y.append("    ")
                            .append(quote(k))
                            .append(": ")
                            .append(quote(v))
                            .append('\n'));
        }
        y.append("spec:\n");
        y.append("  mode: ").append(policy.mode().wireName()).append('\n');
        if (policy.failOpen()) y.append("  failOpen: true\n");
        if (!policy.explicitDefaults().isEmpty()) {
            y.append("  defaults:\n");
            for (Category c : Category.values()) {
                Action a = policy.explicitDefaults().get(c);
                if (a != null)
                    y.append("    ")
                            .append(c.yamlName())
                            .append(": ")
                            .append(a.wireName())
                            .append('\n');
            }
        }
        for (Category c : Category.values()) {
            List<Rule> rules = policy.rules(c);
            if (rules.isEmpty()) continue;
            y.append("  ").append(c.yamlName()).append(":\n");
            for (Rule r : rules) {
                for (String line : ruleComments.getOrDefault(r.id(), List.of())) comment(y, "    ", line);
                y.append("    - id: ").append(quote(r.id())).append('\n');
                y.append("      action: ").append(r.action().wireName()).append('\n');
                if (!r.operations().equals(c.operations())) {
                    List<String> ops = new ArrayList<>();
                    for (Operation o : r.operations()) ops.add(o.wireName());
                    y.append("      operations: [")
                            .append(String.join(", ", ops))
                            .append("]\n");
                }
                for (Selector s : Selector.values()) {
                    List<String> values = r.values(s);
                    if (values.isEmpty()) {
                        if (r.selectors().containsKey(s))
                            y.append("      ").append(s.yamlName()).append(": []\n");
                        continue;
                    }
                    y.append("      ").append(s.yamlName()).append(":\n");
                    for (String v : values)
                        y.append("        - ").append(quote(v)).append('\n');
                }
            }
        }
        return y.toString();
    }

    private static void comment(StringBuilder y, String indent, String text) {
        // Any YAML line break ends a comment, so every one of them starts a new comment line.
        for (String line : text.split("\r\n|[\n\r\u0085\u2028\u2029]", -1)) {
            StringBuilder safe = new StringBuilder(line.length());
            line.codePoints().forEach(c -> {
                if (yamlPrintable(c) && c != 0xFEFF) safe.appendCodePoint(c);
                else safe.append('?');
            });
            y.append(indent).append(line.isEmpty() ? "#" : "# " + safe).append('\n');
        }
    }

    /** Double-quoted YAML scalar with JSON-compatible escapes; every string value is quoted so no value is misread. */
    static String quote(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    q.append("\\\"");
                    break;
                case '\\':
                    q.append("\\\\");
                    break;
                case '\n':
                    q.append("\\n");
                    break;
                case '\t':
                    q.append("\\t");
                    break;
                case '\r':
                    q.append("\\r");
                    break;
                default:
                    boolean paired = Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (paired) {
                        q.append(c).append(s.charAt(++i));
                    } else if (!yamlPrintable(c)
                            || c == 0x7F
                            || (c >= 0x80 && c <= 0x9F)
                            || c == 0x2028
                            || c == 0x2029
                            || c == 0xFEFF) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
            }
        }
        return q.append('"').toString();
    }

    /** YAML 1.2's printable set: anything else must be escaped, even inside quotes and comments. */
    private static boolean yamlPrintable(int c) {
        return c == 0x9
                || c == 0xA
                || c == 0xD
                || (c >= 0x20 && c <= 0x7E)
                || c == 0x85
                || (c >= 0xA0 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
