package dev.inlay.instrumenter.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.instrumenter.image.BlobSource;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.LayerStreams;
import dev.inlay.instrumenter.image.MalformedImageException;
import dev.inlay.instrumenter.image.MediaTypes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The OCI image layout: {@code oci-layout}, {@code index.json}, {@code blobs/sha256/<hex>}. */
final class OciLayout {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final byte[] LAYOUT_FILE = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    private OciLayout() {}

    static String blobPath(String digest) {
        return "blobs/sha256/" + Digests.hex(digest);
    }

    /** Reads the image named {@code ref} (or the only one) from a layout in a directory or a tar. */
    static ImageArtifact read(FileTree tree, String ref, Predicate<String> platformWanted, String where)
            throws IOException {
        if (!tree.exists("index.json"))
            throw new MalformedImageException(where + " is not an OCI image layout (no index.json)");
        ObjectNode index;
        try (InputStream in = tree.open("index.json")) {
            index = Json.parseObject(
                    LayerStreams.readSmall(in, Json.MAX_DOCUMENT_BYTES, "index.json"), where + "/index.json");
        }
        ArrayNode manifests = Json.requireArray(index, "manifests", where + "/index.json");
        List<JsonNode> matches = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode d : manifests) {
            String name = d.path("annotations").path(REF_NAME).asText(null);
            if (name != null) names.add(name);
            if (ref == null || ref.equals(name)) matches.add(d);
        }
        if (matches.isEmpty()) {
            throw new MalformedImageException(
                    where + ": no image " + (ref == null ? "" : "named " + ref + " ") + "(names: " + names + ")");
        }
        if (matches.size() > 1) {
            throw new MalformedImageException(
                    where + " holds several images; name one with :REF (names: " + names + ")");
        }
        String digest = Digests.requireValid(Json.text(matches.get(0), "digest"), where + "/index.json");
        Store store = new Store(tree);
        return store.load(ContentStore.checked(store.manifest(digest), digest, "manifest"), platformWanted);
    }

    /** A blob that is a file of a layout directory. */
    record LocalBlob(Path path) implements BlobSource {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }
    }

    private static final class Store extends ContentStore {
        private final FileTree tree;

        Store(FileTree tree) {
            this.tree = tree;
        }

        @Override
        byte[] manifest(String digest) throws IOException {
            return smallBlob(digest);
        }

        @Override
        byte[] smallBlob(String digest) throws IOException {
            String path = blobPath(digest);
            if (!tree.exists(path)) throw new MalformedImageException("blob " + digest + " is missing from the layout");
            try (InputStream in = tree.open(path)) {
                return LayerStreams.readSmall(in, Json.MAX_DOCUMENT_BYTES, "blob " + digest);
            }
        }

        @Override
        BlobSource blob(String digest, long size) {
            String path = blobPath(digest);
            if (tree instanceof DirectoryTree dir && tree.exists(path)) {
                try {
                    return new LocalBlob(dir.file(path));
                } catch (IOException e) {
                    // fall through to the generic source
                }
            }
            return () -> {
                if (!tree.exists(path))
                    throw new MalformedImageException("blob " + digest + " is missing from the layout");
                return tree.open(path);
            };
        }
    }

    /**
     * Writes into {@code dir}: a new directory is built beside it and moved into place at the end (nothing is left
     * behind on failure); an existing layout gets its blobs added and index.json replaced atomically.
     */
    static void write(Path dir, String ref, ImageArtifact artifact, TransferStats stats) throws IOException {
        write(dir, ref, artifact, stats, false);
    }

    /** {@code archive}: the layout becomes an oci-archive, whose index.json is marked as inlay's (ArchiveTargets). */
    static void write(Path dir, String ref, ImageArtifact artifact, TransferStats stats, boolean archive)
            throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IOException(dir + " exists and is not a directory");
        boolean fresh = !Files.exists(dir) || isEmptyDir(dir);
        if (!fresh && !Files.isRegularFile(dir.resolve("oci-layout"))) {
            throw new IOException(dir + " exists and is not an OCI image layout");
        }
        Path work = fresh
                ? Files.createTempDirectory(dir.toAbsolutePath().getParent(), "." + dir.getFileName() + ".inlay-")
                : dir;
        try {
            writeArtifact(work, artifact, stats);
            Files.write(work.resolve("oci-layout"), LAYOUT_FILE);
            writeIndex(work, ref, artifact, archive);
            if (fresh) {
                if (Files.exists(dir)) Files.delete(dir);
                Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | RuntimeException e) {
            if (fresh) Paths2.deleteRecursively(work);
            throw e;
        }
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void writeArtifact(Path root, ImageArtifact artifact, TransferStats stats) throws IOException {
        if (artifact instanceof ImageIndex index) {
            for (ImageIndex.Entry e : index.entries()) {
                if (e.image() != null) writeImage(root, e.image(), stats);
                else if (!Files.exists(root.resolve(blobPath(Json.text(e.descriptor(), "digest"))))) {
                    throw new MalformedImageException("index entry " + Json.text(e.descriptor(), "digest") + " ("
                            + e.platform() + ") was not read and cannot be written; choose platforms with --platform");
                }
            }
        } else {
            writeImage(root, (Image) artifact, stats);
        }
        writeBlob(root, artifact.digest(), BlobSource.of(artifact.manifestBytes()), null);
    }

    private static void writeImage(Path root, Image image, TransferStats stats) throws IOException {
        for (Layer l : image.layers()) writeBlob(root, l.digest(), l.content(), stats, l.size());
        writeBlob(root, image.configDigest(), BlobSource.of(image.configBytes()), null);
        writeBlob(root, image.digest(), BlobSource.of(image.manifestBytes()), null);
    }

    private static void writeBlob(Path root, String digest, BlobSource content, TransferStats stats)
            throws IOException {
        writeBlob(root, digest, content, stats, -1);
    }

    private static void writeBlob(Path root, String digest, BlobSource content, TransferStats stats, long size)
            throws IOException {
        Path target = root.resolve(blobPath(digest));
        if (Files.isRegularFile(target)) {
            if (stats != null) stats.skipped(Files.size(target));
            return;
        }
        Files.createDirectories(target.getParent());
        if (content instanceof LocalBlob local) {
            // Blobs are immutable and named by digest: a layout on the same filesystem shares them instead of copying.
            try {
                Files.createLink(target, local.path());
                if (stats != null) stats.linked(Files.size(target));
                return;
            } catch (IOException | UnsupportedOperationException e) {
                // another filesystem: copy below
            }
        }
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
        try {
            var md = Digests.sha256();
            long n;
            Progress progress = stats == null ? Progress.SILENT : stats.progress();
            try (InputStream in = progress.start("copying " + digest.substring(0, Math.min(19, digest.length())), size)
                            .counting(content.open());
                    OutputStream out = new java.security.DigestOutputStream(Files.newOutputStream(tmp), md)) {
                n = in.transferTo(out);
            }
            String actual = Digests.format(md.digest());
            if (!actual.equals(digest))
                throw new MalformedImageException("blob " + digest + " is corrupt: it hashes to " + actual);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            if (stats != null) stats.copied(n);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeIndex(Path root, String ref, ImageArtifact artifact, boolean archive) throws IOException {
        Path indexFile = root.resolve("index.json");
        ObjectNode index;
        if (Files.isRegularFile(indexFile)) {
            index = Json.parseObject(Files.readAllBytes(indexFile), indexFile.toString());
        } else {
            index = Json.MAPPER.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            index.putArray("manifests");
        }
        ArrayNode kept = Json.MAPPER.createArrayNode();
        for (JsonNode d : index.path("manifests")) {
            String name = d.path("annotations").path(REF_NAME).asText(null);
            if (ref == null ? name != null : !ref.equals(name)) kept.add(d);
        }
        ObjectNode d = kept.addObject();
        d.put("mediaType", artifact.mediaType());
        d.put("digest", artifact.digest());
        d.put("size", artifact.manifestBytes().length);
        if (ref != null) d.putObject("annotations").put(REF_NAME, ref);
        index.set("manifests", kept);
        if (archive) {
            JsonNode annotations = index.get("annotations");
            (annotations instanceof ObjectNode o ? o : index.putObject("annotations"))
                    .put(ArchiveTargets.MARKER, ArchiveTargets.MARKER_VALUE);
        }
        Path tmp = Files.createTempFile(root, ".index-", ".json");
        Files.write(tmp, Json.bytes(index));
        Files.move(tmp, indexFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
