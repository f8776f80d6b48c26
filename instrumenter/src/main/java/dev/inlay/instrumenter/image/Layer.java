package dev.inlay.instrumenter.image;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One filesystem layer: its manifest descriptor (kept whole, annotations included), its diff_id (digest of the
 * uncompressed tar) and where its bytes are.
 */
public record Layer(ObjectNode descriptor, String diffId, BlobSource content) {
    public Layer {
        descriptor = descriptor.deepCopy();
        Digests.requireValid(Json.text(descriptor, "digest"), "layer descriptor");
        Digests.requireValid(diffId, "layer diff_id");
    }

    public static Layer of(String mediaType, String digest, long size, String diffId, BlobSource content) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return new Layer(d, diffId, content);
    }

    public String digest() {
        return descriptor.get("digest").asText();
    }

    public long size() {
        return descriptor.path("size").asLong(-1);
    }

    public String mediaType() {
        return Json.text(descriptor, "mediaType");
    }

    @Override
    public ObjectNode descriptor() {
        return descriptor.deepCopy();
    }

    public Layer withMediaType(String mediaType) {
        ObjectNode d = descriptor.deepCopy();
        d.put("mediaType", mediaType);
        return new Layer(d, diffId, content);
    }
}
