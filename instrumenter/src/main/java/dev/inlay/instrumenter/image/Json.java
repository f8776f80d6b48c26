package dev.inlay.instrumenter.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * Image JSON (manifests, configs, indexes) as Jackson trees, so that fields inlay does not know survive a round trip
 * and keep their order. Output is compact, like the Go tools that write most images.
 */
public final class Json {
    /** Manifests and configs are small; anything bigger is corrupt or hostile. */
    public static final int MAX_DOCUMENT_BYTES = 8 << 20;

    public static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(MAX_DOCUMENT_BYTES)
                        .build());
    }

    private Json() {}

    public static ObjectNode parseObject(byte[] bytes, String what) {
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            throw new MalformedImageException(what + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) throw new MalformedImageException(what + " is not a JSON object");
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new MalformedImageException(what + " is not valid JSON: " + getOriginalMessageOf(e), e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    public static String requireText(JsonNode node, String field, String what) {
        String v = text(node, field);
        if (v == null) throw new MalformedImageException(what + ": missing string field \"" + field + "\"");
        return v;
    }

    public static ArrayNode requireArray(JsonNode node, String field, String what) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) throw new MalformedImageException(what + ": missing array \"" + field + "\"");
        return (ArrayNode) v;
    }

    public static ObjectNode objectField(ObjectNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v instanceof ObjectNode o) return o;
        return parent.putObject(field);
    }

    private static String getOriginalMessage(IOException e) {
        return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    }

    private static String getOriginalMessageOf(IOException e) {
        return getOriginalMessage(e);
    }
}
