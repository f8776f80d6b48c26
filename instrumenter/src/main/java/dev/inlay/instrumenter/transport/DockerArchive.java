package dev.inlay.instrumenter.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.instrumenter.image.BlobSource;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.LayerStreams;
import dev.inlay.instrumenter.image.MalformedImageException;
import dev.inlay.instrumenter.image.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code docker save} and {@code podman save} write: {@code manifest.json} naming a config and layer tars. It has
 * no registry manifest, so reading synthesizes an OCI manifest; writing stores uncompressed layers named by diff_id.
 */
final class DockerArchive {
    private DockerArchive() {}

    static Image read(TarTree tree, String ref, String where) throws IOException {
        return read(tree, ref, where, Progress.SILENT);
    }

    static Image read(TarTree tree, String ref, String where, Progress progress) throws IOException {
        if (!tree.exists("manifest.json"))
            throw new MalformedImageException(where + " is not a docker archive (no manifest.json)");
        JsonNode manifest;
        try (InputStream in = tree.open("manifest.json")) {
            byte[] bytes = LayerStreams.readSmall(in, Json.MAX_DOCUMENT_BYTES, "manifest.json");
            try {
                manifest = Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new MalformedImageException(where + ": manifest.json is not valid JSON", e);
            }
        }
        if (manifest == null || !manifest.isArray() || manifest.isEmpty()) {
            throw new MalformedImageException(where + ": manifest.json is not a non-empty array");
        }
        JsonNode chosen = null;
        List<String> tags = new ArrayList<>();
        for (JsonNode m : manifest) {
            for (JsonNode t : m.path("RepoTags")) tags.add(t.asText());
            if (ref == null || containsTag(m, ref)) {
                if (chosen != null)
                    throw new MalformedImageException(
                            where + " holds several images; name one with :REF (tags: " + tags + ")");
                chosen = m;
            }
        }
        if (chosen == null)
            throw new MalformedImageException(where + ": no image tagged " + ref + " (tags: " + tags + ")");
        String configPath = FileTree.checkRelative(Json.requireText(chosen, "Config", "manifest.json"), where);
        byte[] config;
        try (InputStream in = tree.open(configPath)) {
            config = LayerStreams.readSmall(in, Json.MAX_DOCUMENT_BYTES, "image config");
        }
        ObjectNode configTree = Json.parseObject(config, where + ": image config");
        JsonNode diffIds = configTree.path("rootfs").path("diff_ids");
        ArrayNode layerPaths = Json.requireArray(chosen, "Layers", "manifest.json");
        if (!diffIds.isArray() || diffIds.size() != layerPaths.size()) {
            throw new MalformedImageException(where + ": config rootfs.diff_ids does not match manifest.json Layers");
        }
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode c = m.putObject("config");
        c.put("mediaType", MediaTypes.OCI_CONFIG);
        c.put("digest", Digests.of(config));
        c.put("size", config.length);
        ArrayNode layersJson = m.putArray("layers");
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerPaths.size(); i++) {
            String path = FileTree.checkRelative(layerPaths.get(i).asText(), where);
            String diffId = Digests.requireValid(diffIds.get(i).asText(), "diff_id");
            long size = tree.size(path);
            BlobSource content = () -> tree.open(path);
            boolean compressed;
            try (InputStream in = new BufferedInputStream(content.open())) {
                byte[] magic = in.readNBytes(2);
                compressed = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            }
            String digest;
            // An uncompressed layer's digest is its diff_id; it is verified whenever the bytes are copied.
            if (compressed) {
                try (InputStream in = progress.start("hashing " + path, size).counting(content.open())) {
                    digest = Digests.of(in);
                }
            } else {
                digest = diffId;
            }
            Layer layer = Layer.of(
                    compressed ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER, digest, size, diffId, content);
            layers.add(layer);
            layersJson.add(layer.descriptor());
        }
        return Image.of(Json.bytes(m), config, layers);
    }

    private static boolean containsTag(JsonNode m, String ref) {
        for (JsonNode t : m.path("RepoTags")) {
            String tag = t.asText();
            if (tag.equals(ref) || tag.equals("localhost/" + ref) || tag.equals("docker.io/library/" + ref))
                return true;
        }
        return false;
    }

    /** Writes the archive to a temporary file beside {@code file} and moves it into place when complete. */
    static void write(Path file, String ref, Image image, TransferStats stats) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".inlay-", ".tmp");
        try {
            try (TarArchiveOutputStream tar =
                    new TarArchiveOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                String configName = Digests.hex(image.configDigest()) + ".json";
                put(tar, configName, image.configBytes());
                ArrayNode layerNames = Json.MAPPER.createArrayNode();
                for (Layer l : image.layers()) {
                    String name = Digests.hex(l.diffId()) + ".tar";
                    layerNames.add(name);
                    putLayer(tar, name, l, stats);
                }
                ArrayNode manifest = Json.MAPPER.createArrayNode();
                ObjectNode entry = manifest.addObject();
                entry.put("Config", configName);
                ArrayNode tags = entry.putArray("RepoTags");
                if (ref != null) tags.add(ref);
                entry.set("Layers", layerNames);
                entry.put(ArchiveTargets.MARKER, ArchiveTargets.MARKER_VALUE);
                put(tar, "manifest.json", Json.bytes(manifest));
                tar.finish();
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        e.setMode(0644);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** Layers go in uncompressed: their tar entry needs the size up front, so compressed ones pass through a file. */
    private static void putLayer(TarArchiveOutputStream tar, String name, Layer layer, TransferStats stats)
            throws IOException {
        Path spool = Files.createTempFile("inlay-layer-", ".tar");
        try {
            MessageDigest md = Digests.sha256();
            Progress.Task task = stats.progress()
                    .start(
                            "copying "
                                    + layer.digest()
                                            .substring(
                                                    0,
                                                    Math.min(19, layer.digest().length())),
                            layer.size());
            try (InputStream in = LayerStreams.uncompressed(
                            () -> task.counting(layer.content().open()), "layer " + layer.digest());
                    OutputStream out = new DigestOutputStream(Files.newOutputStream(spool), md)) {
                in.transferTo(out);
            }
            String actual = Digests.format(md.digest());
            if (!actual.equals(layer.diffId())) {
                throw new MalformedImageException("layer " + layer.digest() + " does not match its diff_id "
                        + layer.diffId() + " (uncompressed content hashes to " + actual + ")");
            }
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(Files.size(spool));
            e.setMode(0644);
            e.setModTime(0);
            tar.putArchiveEntry(e);
            long n = Files.copy(spool, tar);
            tar.closeArchiveEntry();
            stats.copied(n);
        } finally {
            Files.deleteIfExists(spool);
        }
    }
}
