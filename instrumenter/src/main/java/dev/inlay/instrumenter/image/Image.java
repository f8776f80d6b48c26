package dev.inlay.instrumenter.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable single-platform image: manifest and config bytes exactly as read (so that an untouched image keeps
 * its digest), their parsed trees, and the layers. Changing anything goes through {@link #fromTrees}, which
 * re-serializes and recomputes the digests.
 */
public final class Image implements ImageArtifact {
    private final byte[] manifestBytes;
    private final byte[] configBytes;
    private final ObjectNode manifest;
    private final ObjectNode config;
    private final List<Layer> layers;

    private Image(byte[] manifestBytes, byte[] configBytes, List<Layer> layers) {
        this.manifestBytes = manifestBytes.clone();
        this.configBytes = configBytes.clone();
        this.manifest = Json.parseObject(manifestBytes, "image manifest");
        this.config = Json.parseObject(configBytes, "image config");
        this.layers = List.copyOf(layers);
        validate();
    }

    /** Wraps bytes as read from a source; checks that manifest, config and layers agree. */
    public static Image of(byte[] manifestBytes, byte[] configBytes, List<Layer> layers) {
        return new Image(manifestBytes, configBytes, layers);
    }

    /**
     * Builds an image from edited trees: the config is serialized, its digest and size are written into the manifest,
     * and the manifest's layer list is taken from {@code layers}.
     */
    public static Image fromTrees(ObjectNode manifest, ObjectNode config, List<Layer> layers) {
        byte[] configBytes = Json.bytes(config);
        ObjectNode m = manifest.deepCopy();
        ObjectNode configDescriptor = Json.objectField(m, "config");
        configDescriptor.put("digest", Digests.of(configBytes));
        configDescriptor.put("size", configBytes.length);
        ArrayNode layerArray = Json.MAPPER.createArrayNode();
        for (Layer l : layers) layerArray.add(l.descriptor());
        m.set("layers", layerArray);
        return new Image(Json.bytes(m), configBytes, layers);
    }

    private void validate() {
        String configDigest = Json.requireText(manifest.path("config"), "digest", "manifest config descriptor");
        if (!configDigest.equals(Digests.of(configBytes))) {
            throw new MalformedImageException("config digest mismatch: manifest says " + configDigest
                    + ", config hashes to " + Digests.of(configBytes));
        }
        ArrayNode manifestLayers = Json.requireArray(manifest, "layers", "image manifest");
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        if (!diffIds.isArray()) throw new MalformedImageException("image config has no rootfs.diff_ids");
        if (manifestLayers.size() != layers.size() || diffIds.size() != layers.size()) {
            throw new MalformedImageException("image has " + manifestLayers.size() + " layers in its manifest, "
                    + diffIds.size() + " diff_ids in its config and " + layers.size() + " layer blobs");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (!layers.get(i)
                            .digest()
                            .equals(manifestLayers.get(i).path("digest").asText())
                    || !layers.get(i).diffId().equals(diffIds.get(i).asText())) {
                throw new MalformedImageException("layer " + i + " does not match the manifest and config");
            }
        }
    }

    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    public byte[] configBytes() {
        return configBytes.clone();
    }

    /** A copy: edit it and pass it to {@link #fromTrees}. */
    public ObjectNode manifest() {
        return manifest.deepCopy();
    }

    /** A copy: edit it and pass it to {@link #fromTrees}. */
    public ObjectNode config() {
        return config.deepCopy();
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public String mediaType() {
        String mt = Json.text(manifest, "mediaType");
        return mt != null ? mt : MediaTypes.OCI_MANIFEST;
    }

    public boolean isDocker() {
        return MediaTypes.DOCKER_MANIFEST.equals(mediaType());
    }

    public String configDigest() {
        return manifest.path("config").path("digest").asText();
    }

    public String configMediaType() {
        return manifest.path("config").path("mediaType").asText(MediaTypes.OCI_CONFIG);
    }

    /** {@code os/arch[/variant]} from the config. */
    public String platform() {
        String p = config.path("os").asText("unknown") + "/"
                + config.path("architecture").asText("unknown");
        String variant = config.path("variant").asText("");
        return variant.isEmpty() ? p : p + "/" + variant;
    }

    public List<String> diffIds() {
        List<String> ids = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    public String label(String name) {
        JsonNode v = config.path("config").path("Labels").get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
