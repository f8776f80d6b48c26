package dev.inlay.instrumenter.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable OCI index or Docker manifest list with the images it names. Entries that are not images of a
 * wanted platform (attestations, unknown media types) are kept as descriptors only, {@code image == null}; they are
 * written back as they were when the target already holds them.
 */
public final class ImageIndex implements ImageArtifact {
    /** One manifest descriptor of the index and, when loaded, its image. */
    public record Entry(ObjectNode descriptor, Image image) {
        public Entry {
            descriptor = descriptor.deepCopy();
        }

        public String platform() {
            JsonNode p = descriptor.path("platform");
            String s = p.path("os").asText("unknown") + "/"
                    + p.path("architecture").asText("unknown");
            String variant = p.path("variant").asText("");
            return variant.isEmpty() ? s : s + "/" + variant;
        }

        @Override
        public ObjectNode descriptor() {
            return descriptor.deepCopy();
        }
    }

    private final byte[] indexBytes;
    private final ObjectNode index;
    private final List<Entry> entries;

    private ImageIndex(byte[] indexBytes, List<Entry> entries) {
        this.indexBytes = indexBytes.clone();
        this.index = Json.parseObject(indexBytes, "image index");
        this.entries = List.copyOf(entries);
        ArrayNode manifests = Json.requireArray(index, "manifests", "image index");
        if (manifests.size() != entries.size()) {
            throw new MalformedImageException(
                    "image index lists " + manifests.size() + " manifests but " + entries.size() + " were given");
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String digest = Json.requireText(manifests.get(i), "digest", "index entry");
            if (!digest.equals(Json.text(e.descriptor, "digest"))) {
                throw new MalformedImageException("index entry " + i + " does not match its descriptor");
            }
            if (e.image != null && !digest.equals(e.image.digest())) {
                throw new MalformedImageException(
                        "index entry " + i + " names " + digest + " but the manifest hashes to " + e.image.digest());
            }
        }
    }

    public static ImageIndex of(byte[] indexBytes, List<Entry> entries) {
        return new ImageIndex(indexBytes, entries);
    }

    /** Rebuilds the index from an edited tree; each entry's descriptor takes the digest and size of its image. */
    public static ImageIndex fromTree(ObjectNode index, List<Entry> entries) {
        ObjectNode copy = index.deepCopy();
        ArrayNode manifests = Json.MAPPER.createArrayNode();
        List<Entry> updated = new ArrayList<>();
        for (Entry e : entries) {
            ObjectNode d = e.descriptor();
            if (e.image != null) {
                byte[] m = e.image.manifestBytes();
                d.put("mediaType", e.image.mediaType());
                d.put("digest", Digests.of(m));
                d.put("size", m.length);
            }
            manifests.add(d);
            updated.add(new Entry(d, e.image));
        }
        copy.set("manifests", manifests);
        return new ImageIndex(Json.bytes(copy), updated);
    }

    @Override
    public byte[] manifestBytes() {
        return indexBytes.clone();
    }

    public ObjectNode index() {
        return index.deepCopy();
    }

    public List<Entry> entries() {
        return entries;
    }

    @Override
    public String mediaType() {
        String mt = Json.text(index, "mediaType");
        return mt != null ? mt : MediaTypes.OCI_INDEX;
    }

    public String annotation(String name) {
        JsonNode v = index.path("annotations").get(name);
        return v == null ? null : v.asText();
    }
}
