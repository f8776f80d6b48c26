package dev.inlay.instrumenter.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Small image edits that compose, each returning a new {@link Image}; nothing else in the config is touched. */
public final class ImageOperations {
    private ImageOperations() {}

    /** Appends a layer, its diff_id, and a history entry describing it. */
    public static Image appendLayer(Image image, Layer layer, ObjectNode history) {
        ObjectNode config = image.config();
        ObjectNode rootfs = Json.objectField(config, "rootfs");
        if (!rootfs.has("type")) rootfs.put("type", "layers");
        JsonNode ids = rootfs.get("diff_ids");
        ArrayNode diffIds = ids instanceof ArrayNode a ? a : rootfs.putArray("diff_ids");
        diffIds.add(layer.diffId());
        if (history != null) {
            JsonNode h = config.get("history");
            (h instanceof ArrayNode a ? a : config.putArray("history")).add(history);
        }
        List<Layer> layers = new ArrayList<>(image.layers());
        layers.add(layer);
        return Image.fromTrees(image.manifest(), config, layers);
    }

    /** Edits the runtime part of the config ({@code config.config}: Env, Labels, Entrypoint...). */
    public static Image editRuntimeConfig(Image image, Consumer<ObjectNode> edit) {
        ObjectNode config = image.config();
        edit.accept(Json.objectField(config, "config"));
        return Image.fromTrees(image.manifest(), config, image.layers());
    }

    public static Image addLabels(Image image, Map<String, String> labels) {
        return editRuntimeConfig(image, c -> {
            ObjectNode l = Json.objectField(c, "Labels");
            labels.forEach(l::put);
        });
    }

    public static Image addAnnotations(Image image, Map<String, String> annotations) {
        ObjectNode m = image.manifest();
        ObjectNode a = Json.objectField(m, "annotations");
        annotations.forEach(a::put);
        return Image.fromTrees(m, image.config(), image.layers());
    }

    /**
     * Appends {@code value} to the environment variable {@code name}, separated by a space; adds the variable at the
     * end of Env when it is absent. The order of every other variable is kept.
     */
    public static Image appendToEnv(Image image, String name, String value) {
        return editRuntimeConfig(image, c -> {
            JsonNode envNode = c.get("Env");
            ArrayNode env = envNode instanceof ArrayNode a ? a : c.putArray("Env");
            String prefix = name + "=";
            for (int i = 0; i < env.size(); i++) {
                String entry = env.get(i).asText();
                if (entry.startsWith(prefix)) {
                    String current = entry.substring(prefix.length());
                    env.set(i, env.textNode(prefix + (current.isEmpty() ? value : current + " " + value)));
                    return;
                }
            }
            env.add(prefix + value);
        });
    }
}
