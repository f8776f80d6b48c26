package dev.inlay.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a changed JSON tree as the smallest edit of the text it was read from: every value that did not change is
 * copied from the original text, character for character; a changed scalar is replaced in place; a member or list
 * entry inlay appends is written after its last sibling, in that sibling's layout (one line, or indented like it).
 * Only what cannot be an edit (a member removed, keys reordered) is rewritten, and then only that object or list.
 */
final class JsonEdits {
    private final String text;
    private final ObjectMapper mapper;
    private final JsonDocument.Style style;
    /** Whether the whole document is on one line: how an empty list or object that gains entries is laid out. */
    private final boolean oneLineDocument;

    private JsonEdits(String text, ObjectMapper mapper) {
        this.text = text;
        this.mapper = mapper;
        this.style = JsonDocument.Style.of(text);
        this.oneLineDocument = text.strip().indexOf('\n') < 0;
    }

    static String apply(String original, JsonNode changed, ObjectMapper mapper) {
        JsonEdits edits = new JsonEdits(original, mapper);
        Span root = edits.parse();
        return original.substring(0, root.start) + edits.render(root, changed) + original.substring(root.end);
    }

    // ---- where each value is in the original text

    private abstract static class Span {
        int start;
        int end;

        boolean oneLine(String text) {
            return text.indexOf('\n', start) < 0 || text.indexOf('\n', start) >= end;
        }
    }

    private static final class ScalarSpan extends Span {}

    private static final class ObjectSpan extends Span {
        final List<String> keys = new ArrayList<>();
        final List<Integer> keyStarts = new ArrayList<>();
        final List<Span> values = new ArrayList<>();
    }

    private static final class ArraySpan extends Span {
        final List<Span> items = new ArrayList<>();
    }

    private Span parse() {
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            p.nextToken();
            return value(p);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON document that was just read cannot be read again", e);
        }
    }

    private Span value(JsonParser p) throws IOException {
        int start = (int) p.currentTokenLocation().getCharOffset();
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            ObjectSpan o = new ObjectSpan();
            o.start = start;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                o.keys.add(p.currentName());
                o.keyStarts.add((int) p.currentTokenLocation().getCharOffset());
                p.nextToken();
                o.values.add(value(p));
            }
            o.end = (int) p.currentTokenLocation().getCharOffset() + 1;
            return o;
        }
        if (t == JsonToken.START_ARRAY) {
            ArraySpan a = new ArraySpan();
            a.start = start;
            while (p.nextToken() != JsonToken.END_ARRAY) a.items.add(value(p));
            a.end = (int) p.currentTokenLocation().getCharOffset() + 1;
            return a;
        }
        p.getText(); // completes a lazily read string, so that the location below is after it
        ScalarSpan s = new ScalarSpan();
        s.start = start;
        s.end = (int) p.currentLocation().getCharOffset();
        return s;
    }

    // ---- the edit

    private String render(Span span, JsonNode node) {
        String original = text.substring(span.start, span.end);
        if (span instanceof ScalarSpan) {
            return same(original, node) ? original : write(node, span.oneLine(text), indentAt(span.start));
        }
        if (span instanceof ObjectSpan o && node.isObject()) return object(o, node);
        if (span instanceof ArraySpan a && node.isArray()) return array(a, node);
        return write(node, span.oneLine(text), indentAt(span.start));
    }

    private String object(ObjectSpan o, JsonNode node) {
        List<String> newKeys = new ArrayList<>();
        node.fieldNames().forEachRemaining(newKeys::add);
        boolean editable = !o.keys.isEmpty()
                && newKeys.size() >= o.keys.size()
                && newKeys.subList(0, o.keys.size()).equals(o.keys);
        if (!editable) return write(node, o.keys.isEmpty() ? oneLineDocument : o.oneLine(text), indentAt(o.start));
        StringBuilder sb = new StringBuilder();
        int at = o.start;
        for (int i = 0; i < o.keys.size(); i++) {
            Span v = o.values.get(i);
            sb.append(text, at, v.start).append(render(v, node.get(o.keys.get(i))));
            at = v.end;
        }
        int last = o.keys.size() - 1;
        String before = gapBefore(o.keyStarts.get(last));
        String colon = text.substring(keyEnd(o.keyStarts.get(last)), o.values.get(last).start);
        // A new member's value: on one line in a one-line object, else indented one level below its key.
        for (int i = o.keys.size(); i < newKeys.size(); i++) {
            String key = newKeys.get(i);
            sb.append(',')
                    .append(before)
                    .append(quote(key))
                    .append(colon)
                    .append(write(node.get(key), o.oneLine(text), indentAt(o.keyStarts.get(last))));
        }
        sb.append(text, at, o.end);
        return sb.toString();
    }

    private String array(ArraySpan a, JsonNode node) {
        if (a.items.isEmpty()) return write(node, oneLineDocument, indentAt(a.start));
        if (node.size() < a.items.size()) return write(node, a.oneLine(text), indentAt(a.start));
        StringBuilder sb = new StringBuilder();
        int at = a.start;
        for (int i = 0; i < a.items.size(); i++) {
            Span item = a.items.get(i);
            sb.append(text, at, item.start).append(render(item, node.get(i)));
            at = item.end;
        }
        Span sibling = a.items.get(a.items.size() - 1);
        String before = gapBefore(sibling.start);
        for (int i = a.items.size(); i < node.size(); i++) {
            sb.append(',').append(before).append(write(node.get(i), sibling.oneLine(text), indentAt(sibling.start)));
        }
        sb.append(text, at, a.end);
        return sb.toString();
    }

    private boolean same(String original, JsonNode node) {
        try {
            return mapper.readTree(original).equals(node);
        } catch (IOException e) {
            return false;
        }
    }

    /** The whitespace between the comma or bracket before {@code pos} and {@code pos}: how siblings are separated. */
    private String gapBefore(int pos) {
        int i = pos;
        while (i > 0 && Character.isWhitespace(text.charAt(i - 1))) i--;
        return text.substring(i, pos);
    }

    /** The indentation of the line {@code pos} is on. */
    private String indentAt(int pos) {
        int lineStart = text.lastIndexOf('\n', pos - 1) + 1;
        int i = lineStart;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
        return text.substring(lineStart, i);
    }

    private int keyEnd(int keyStart) {
        int i = keyStart + 1;
        while (text.charAt(i) != '"') i += text.charAt(i) == '\\' ? 2 : 1;
        return i + 1;
    }

    private String quote(String key) {
        try {
            return mapper.writeValueAsString(key);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new or replaced value: on one line like its neighbours, or indented below {@code indent} in the document's unit. */
    private String write(JsonNode node, boolean oneLine, String indent) {
        StringBuilder sb = new StringBuilder();
        write(node, oneLine, indent, sb);
        return sb.toString();
    }

    private void write(JsonNode node, boolean oneLine, String indent, StringBuilder sb) {
        String inner = indent + style.indent();
        String eol = style.lineEnding();
        String colon = (style.spaceBeforeColon() ? " " : "") + ":" + (style.spaceAfterColon() ? " " : "");
        if (node.isObject() && !node.isEmpty()) {
            sb.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                sb.append(first ? "" : ",").append(oneLine ? (first ? "" : style.commaSpace()) : eol + inner);
                sb.append(quote(f.getKey())).append(colon);
                write(f.getValue(), oneLine, inner, sb);
                first = false;
            }
            sb.append(oneLine ? "" : eol + indent).append('}');
        } else if (node.isArray() && !node.isEmpty()) {
            sb.append('[');
            for (int i = 0; i < node.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(oneLine ? (i == 0 ? "" : style.commaSpace()) : eol + inner);
                write(node.get(i), oneLine, inner, sb);
            }
            sb.append(oneLine ? "" : eol + indent).append(']');
        } else {
            try {
                sb.append(mapper.writeValueAsString(node));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
