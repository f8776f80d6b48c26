package dev.inlay.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A container in a JSON document. {@code body} holds the image and the environment list (the container object
 * itself on ECS; its {@code properties} on Azure); entries are {@code {"name":..,"value":..}} or a reference under one
 * of {@code referenceKeys}. ECS keeps secret variables in a separate {@code secrets} list, given as {@code secrets}.
 */
final class JsonContainer implements Container {
    private final String name;
    private final String where;
    private final ObjectNode body;
    private final String envKey;
    private final List<String> referenceKeys;
    private final ArrayNode secrets;
    private final List<String> opaque;

    JsonContainer(
            String name,
            String where,
            ObjectNode body,
            String envKey,
            List<String> referenceKeys,
            ArrayNode secrets,
            List<String> opaqueSources) {
        this.name = name;
        this.where = where;
        this.body = body;
        this.envKey = envKey;
        this.referenceKeys = referenceKeys;
        this.secrets = secrets;
        this.opaque = opaqueSources;
    }

    static String text(JsonNode parent, String key) {
        JsonNode n = parent == null ? null : parent.get(key);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public String image() {
        return text(body, "image");
    }

    @Override
    public void setImage(String image) {
        body.put("image", image);
    }

    @Override
    public void checkShape() {
        JsonNode image = body.get("image");
        if (image != null && !image.isNull() && !image.isTextual()) {
            throw new DeployInputException(where + ": image must be a string, got " + kind(image));
        }
        checkList(body.get(envKey), envKey);
        if (secrets != null) checkList(secrets, "secrets");
        else if (body.has("secrets")
                && !body.get("secrets").isNull()
                && !body.get("secrets").isArray()) {
            throw new DeployInputException(where + ": secrets must be a list, got " + kind(body.get("secrets")));
        }
    }

    private void checkList(JsonNode list, String key) {
        if (list == null || list.isNull()) return;
        if (!list.isArray()) throw new DeployInputException(where + ": " + key + " must be a list, got " + kind(list));
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            if (!e.isObject() || !e.path("name").isTextual()) {
                throw new DeployInputException(
                        where + ": " + key + "[" + i + "] must be an object with a string name, got " + e);
            }
        }
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase() + " " + n;
    }

    @Override
    public Env env() {
        return new Env() {
            @Override
            public Entry get(String var) {
                ObjectNode e = find(var);
                if (e != null) {
                    for (String ref : referenceKeys) {
                        if (e.has(ref)) return new Entry(var, null, ref + " " + describe(e.get(ref)));
                    }
                    return new Entry(var, e.hasNonNull("value") ? e.get("value").asText() : "", null);
                }
                if (secrets != null) {
                    for (JsonNode s : secrets) {
                        if (var.equals(text(s, "name"))) return new Entry(var, null, "secret " + text(s, "valueFrom"));
                    }
                }
                return null;
            }

            @Override
            public void put(String var, String value) {
                ObjectNode e = find(var);
                if (e == null) {
                    e = list().addObject();
                    e.put("name", var);
                }
                for (String ref : referenceKeys) e.remove(ref);
                e.put("value", value);
            }

            @Override
            public boolean remove(String var) {
                ObjectNode e = find(var);
                if (e == null) return false;
                ArrayNode list = list();
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) == e) {
                        list.remove(i);
                        return true;
                    }
                }
                return false;
            }

            @Override
            public List<String> opaqueSources() {
                return opaque;
            }
        };
    }

    private static String describe(JsonNode ref) {
        return ref.isTextual() ? "(secret value)" : ref.toString();
    }

    private ArrayNode list() {
        JsonNode n = body.get(envKey);
        if (n == null || n.isNull()) return body.putArray(envKey);
        if (!n.isArray()) throw new DeployInputException(where + ": " + envKey + " must be a list");
        return (ArrayNode) n;
    }

    private ObjectNode find(String var) {
        JsonNode n = body.get(envKey);
        if (n == null || !n.isArray()) return null;
        for (JsonNode e : n) {
            if (e.isObject() && var.equals(text(e, "name"))) return (ObjectNode) e;
        }
        return null;
    }
}
