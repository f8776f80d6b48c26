package dev.inlay.instrumenter.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.instrumenter.image.BlobSource;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.MalformedImageException;
import dev.inlay.instrumenter.image.MediaTypes;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Content-addressed reads shared by OCI layouts and registries: given how to fetch a manifest and a blob by digest,
 * {@link #load} builds the image or index a manifest names, checking every digest of the JSON documents.
 */
abstract class ContentStore {
    abstract byte[] manifest(String digest) throws IOException;

    abstract byte[] smallBlob(String digest) throws IOException;

    abstract BlobSource blob(String digest, long size) throws IOException;

    /** Loads what {@code manifestBytes} describes; index entries whose platform is not wanted are kept as descriptors. */
    ImageArtifact load(byte[] manifestBytes, Predicate<String> platformWanted) throws IOException {
        ObjectNode top = Json.parseObject(manifestBytes, "manifest");
        if (top.has("manifests")) {
            List<ImageIndex.Entry> entries = new ArrayList<>();
            for (JsonNode d : Json.requireArray(top, "manifests", "image index")) {
                if (!d.isObject()) throw new MalformedImageException("image index: entry is not an object");
                ImageIndex.Entry probe = new ImageIndex.Entry((ObjectNode) d, null);
                String mt = Json.text(d, "mediaType");
                boolean image = mt == null || MediaTypes.isManifest(mt);
                if (image && platformWanted.test(probe.platform())) {
                    String digest = Digests.requireValid(Json.text(d, "digest"), "index entry");
                    byte[] child = checked(manifest(digest), digest, "manifest");
                    entries.add(new ImageIndex.Entry((ObjectNode) d, loadImage(child)));
                } else {
                    entries.add(probe);
                }
            }
            return ImageIndex.of(manifestBytes, entries);
        }
        return loadImage(manifestBytes);
    }

    Image loadImage(byte[] manifestBytes) throws IOException {
        ObjectNode m = Json.parseObject(manifestBytes, "image manifest");
        if (m.path("schemaVersion").asInt() != 2) {
            throw new MalformedImageException("unsupported manifest schemaVersion " + m.path("schemaVersion"));
        }
        String configDigest = Digests.requireValid(Json.text(m.path("config"), "digest"), "manifest config");
        byte[] config = checked(smallBlob(configDigest), configDigest, "config");
        ObjectNode configTree = Json.parseObject(config, "image config");
        JsonNode diffIds = configTree.path("rootfs").path("diff_ids");
        List<Layer> layers = new ArrayList<>();
        JsonNode layerArray = Json.requireArray(m, "layers", "image manifest");
        if (!diffIds.isArray() || diffIds.size() != layerArray.size()) {
            throw new MalformedImageException("image config rootfs.diff_ids does not match the manifest's layers");
        }
        for (int i = 0; i < layerArray.size(); i++) {
            JsonNode d = layerArray.get(i);
            if (!d.isObject()) throw new MalformedImageException("image manifest: layer " + i + " is not an object");
            String digest = Digests.requireValid(Json.text(d, "digest"), "layer " + i);
            long size = d.path("size").asLong(-1);
            if (size < 0) throw new MalformedImageException("layer " + i + " has no size");
            layers.add(new Layer((ObjectNode) d, diffIds.get(i).asText(), blob(digest, size)));
        }
        return Image.of(manifestBytes, config, layers);
    }

    static byte[] checked(byte[] bytes, String digest, String what) {
        String actual = Digests.of(bytes);
        if (!actual.equals(digest)) {
            throw new MalformedImageException(what + " " + digest + " is corrupt: its content hashes to " + actual);
        }
        return bytes;
    }
}
