package dev.inlay.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

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

    private JsonDocument() {}

    static JsonNode read(String text, String source) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) throw new DeployInputException(source + ": empty document");
            return node;
        } catch (JsonProcessingException e) {
            throw new DeployInputException(
                    source + ": not valid JSON: " + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ", column "
                                            + e.getLocation().getColumnNr() + ")"),
                    e);
        }
    }

    /**
     * Writes the changed tree as an edit of {@code original}, the text it was read from ({@link JsonEdits}): a
     * formatted task definition or ARM template then differs only where inlay changed it.
     */
    static String write(JsonNode node, String original) {
        return JsonEdits.apply(original, node, MAPPER);
    }

    /** How a JSON document is laid out, for the values inlay writes into it. */
    record Style(
            String indent, boolean spaceBeforeColon, boolean spaceAfterColon, String commaSpace, String lineEnding) {
        private static final Pattern INDENTED_LINE = Pattern.compile("\\n([ \\t]+)\\S");
        private static final Pattern COLON = Pattern.compile("\"(\\s*):(\\s*)\\S");
        /** A comma followed by a value on the same line: how one-line lists and objects are spaced. */
        private static final Pattern INLINE_COMMA = Pattern.compile(",( ?)[^\\s]");

        /** The first indented line gives the unit (a nested line is indented by two); default as the AWS CLI. */
        static Style of(String text) {
            Matcher m = INDENTED_LINE.matcher(text);
            String indent = m.find() ? m.group(1) : "  ";
            Matcher c = COLON.matcher(text);
            boolean before = false;
            boolean after = true;
            if (c.find()) {
                before = !c.group(1).isEmpty();
                after = !c.group(2).isEmpty();
            }
            Matcher comma = INLINE_COMMA.matcher(text);
            String commaSpace = comma.find() ? comma.group(1) : " ";
            return new Style(indent, before, after, commaSpace, text.contains("\r\n") ? "\r\n" : "\n");
        }
    }
}
