package dev.inlay.policy.engine;

import dev.inlay.policy.Patterns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Patterns over separated names (paths with '/', class names with '.') in a trie of segments. Literal segments are
 * hashed; glob segments are tried in turn; a final {@code **} marks a subtree. Matching walks the input once per
 * branch, never creates substrings, and returns the best matching rule (see {@link RuleTable#better}).
 */
final class GlobTrie {
    private static final class Node {
        final SegmentTable<Node> literal = new SegmentTable<>();
        final List<String> globList = new ArrayList<>();
        final List<Node> globNodeList = new ArrayList<>();
        Globs.Compiled[] globs = new Globs.Compiled[0];
        Node[] globNodes = new Node[0];
        int[] terminal;
        int[] subtree;

        Node child(String segment) {
            if (Globs.isGlob(segment)) {
                int i = globList.indexOf(segment);
                if (i >= 0) return globNodeList.get(i);
                Node n = new Node();
                globList.add(segment);
                globNodeList.add(n);
                return n;
            }
            String name = Patterns.unescape(segment); // '\*' in a literal segment is the character '*'
            Node n = literal.get(name);
            if (n == null) {
                n = new Node();
                literal.put(name, n);
            }
            return n;
        }

        void freeze() {
            globs = new Globs.Compiled[globList.size()];
            for (int i = 0; i < globs.length; i++) globs[i] = new Globs.Compiled(globList.get(i));
            globNodes = globNodeList.toArray(new Node[0]);
            for (Node n : globNodes) n.freeze();
            for (Node n : literal.values()) n.freeze();
        }
    }

    private final char separator;
    private final boolean leadingSeparator;
    private final Node root = new Node();

    /**
     * @param leadingSeparator true for absolute paths ("/a/b"), false for class names ("a.b")
     */
    GlobTrie(char separator, boolean leadingSeparator) {
        this.separator = separator;
        this.leadingSeparator = leadingSeparator;
    }

    void add(String pattern, int rule) {
        Node n = root;
        int start = leadingSeparator ? 1 : 0;
        if (pattern.length() > start) {
            String[] segments =
                    pattern.substring(start).split(separator == '.' ? "\\." : String.valueOf(separator), -1);
            for (int i = 0; i < segments.length; i++) {
                String seg = segments[i];
                if (seg.equals("**") && i == segments.length - 1) {
                    n.subtree = append(n.subtree, rule);
                    return;
                }
                n = n.child(seg);
            }
        }
        n.terminal = append(n.terminal, rule);
    }

    GlobTrie freeze() {
        root.freeze();
        return this;
    }

    /**
     * The best rule matching the whole input for the operation bit, or -1.
     *
     * @param applies per rule, whether it applies to who asked (see {@link RuleTable#bestOf}); null: all do
     */
    int match(String s, int opBit, RuleTable table, boolean[] applies) {
        int start = leadingSeparator ? 1 : 0;
        if (leadingSeparator && (s.isEmpty() || s.charAt(0) != separator)) return -1;
        return walk(root, s, Math.min(start, s.length()), opBit, table, applies);
    }

    private int walk(Node n, String s, int pos, int opBit, RuleTable table, boolean[] applies) {
        int best = table.bestOf(-1, n.subtree, opBit, applies);
        int len = s.length();
        if (pos >= len) return table.bestOf(best, n.terminal, opBit, applies);
        int end = s.indexOf(separator, pos);
        if (end < 0) end = len;
        int next = end == len ? len : end + 1;
        if (end == pos) return best; // empty segment: input was not normalized; match nothing below
        if (!n.literal.isEmpty()) {
            Node child = n.literal.get(s, pos, end);
            if (child != null) best = table.better(best, walk(child, s, next, opBit, table, applies));
        }
        Globs.Compiled[] globs = n.globs;
        for (int i = 0; i < globs.length; i++) {
            if (globs[i].matches(s, pos, end))
                best = table.better(best, walk(n.globNodes[i], s, next, opBit, table, applies));
        }
        return best;
    }

    private static int[] append(int[] a, int v) {
        if (a == null) return new int[] {v};
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }
}
