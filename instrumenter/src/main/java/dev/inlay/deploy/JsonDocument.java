package dev.inlay.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes JSON deployment documents so that nothing but what inlay sets changes: key order, numbers (exact
 * decimals, no float rounding), strings and the layout are kept; duplicate keys are refused rather than silently merged.
 */
final class JsonDocument {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private JsonDocument() {
    }

    static JsonNode read(String text, String source) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) throw new DeployInputException(source + ": empty document");
            return node;
        } catch (JsonProcessingException e) {
            throw new DeployInputException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")"), e);
        }
    }

    /**
     * Writes the tree in the formatting of {@code original}: its indentation unit (spaces or a tab, any width), its
     * spacing around colons, its line ending and final newline, or on one line when it was on one line. A document
     * formatted by the AWS or Azure CLI, jq or an editor then differs only where inlay changed it.
     */
    static String write(JsonNode node, String original) {
        Style style = Style.of(original);
        try {
            String text = style.compact ? MAPPER.writeValueAsString(node) : MAPPER.writer(style.printer()).writeValueAsString(node);
            if (!style.lineEnding.equals("\n")) text = text.replace("\n", style.lineEnding);
            return style.finalNewline ? text + style.lineEnding : text;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that was just read cannot be written", e);
        }
    }

    /** How a JSON document is laid out, as far as a pretty printer can reproduce it. */
    record Style(boolean compact, String indent, boolean spaceBeforeColon, boolean spaceAfterColon, String lineEnding,
                 boolean finalNewline) {
        private static final Pattern INDENTED_LINE = Pattern.compile("\\n([ \\t]+)\\S");
        private static final Pattern COLON = Pattern.compile("\"(\\s*):(\\s*)\\S");

        static Style of(String text) {
            String body = text.strip();
            boolean compact = body.indexOf('\n') < 0;
            Matcher m = INDENTED_LINE.matcher(text);
            String indent = m.find() ? m.group(1) : "  ";
            Matcher c = COLON.matcher(text);
            boolean before = false;
            boolean after = true;
            if (c.find()) {
                before = !c.group(1).isEmpty();
                after = !c.group(2).isEmpty();
            }
            String eol = text.contains("\r\n") ? "\r\n" : "\n";
            return new Style(compact, indent, before, after, eol, text.endsWith("\n"));
        }

        DefaultPrettyPrinter printer() {
            Separators.Spacing spacing = spaceBeforeColon
                    ? (spaceAfterColon ? Separators.Spacing.BOTH : Separators.Spacing.BEFORE)
                    : (spaceAfterColon ? Separators.Spacing.AFTER : Separators.Spacing.NONE);
            return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(spacing)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
                    .withObjectIndenter(new DefaultIndenter(indent, "\n"))
                    .withArrayIndenter(new DefaultIndenter(indent, "\n"));
        }
    }
}
