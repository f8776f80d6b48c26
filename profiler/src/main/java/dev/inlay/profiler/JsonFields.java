package dev.inlay.profiler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlay.model.FieldReader;

import java.util.ArrayList;
import java.util.List;

/**
 * A line of the agent's event stream, parsed by Jackson, as the model's codec reads it ({@code Behavior.read},
 * {@code Event.read}): the agent writes with a small writer of its own, the profiler reads with Jackson, both through
 * the same field names and typed values.
 */
public final class JsonFields implements FieldReader {
    private final JsonNode node;

    public JsonFields(JsonNode node) {
        this.node = node;
    }

    @Override
    public String text(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    @Override
    public long number(String name, long fallback) {
        JsonNode value = node.get(name);
        return value == null || !value.isNumber() ? fallback : value.asLong();
    }

    @Override
    public boolean flag(String name) {
        return node.path(name).asBoolean(false);
    }

    @Override
    public List<String> texts(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) return null;
        List<String> texts = new ArrayList<>();
        for (JsonNode element : value) texts.add(element.asText());
        return texts;
    }
}
