package dev.inlay.instrumenter.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlay.instrumenter.BadInputException;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.instrumenter.image.LayerStreams;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Guards {@code docker-archive:} and {@code oci-archive:} targets: an existing file is replaced only when it is an
 * archive inlay wrote (a policy file named by mistake must never become a 300 MB tar), or with {@code --force}.
 * inlay marks what it writes: the {@code manifest.json} entry of a docker archive and the {@code index.json} of an OCI
 * archive carry {@value #MARKER} = {@value #MARKER_VALUE}; docker, podman and skopeo ignore both.
 */
public final class ArchiveTargets {
    static final String MARKER = "dev.inlay.written-by";
    static final String MARKER_VALUE = "inlay";

    private ArchiveTargets() {}

    /** Refuses (exit 3) to overwrite an existing archive target that inlay did not write, unless forced. */
    public static void checkOverwrite(ImageLocation target, boolean force) throws IOException {
        if (target.kind() != ImageLocation.Kind.DOCKER_ARCHIVE && target.kind() != ImageLocation.Kind.OCI_ARCHIVE)
            return;
        Path path = target.path();
        if (!Files.exists(path)) return;
        if (Files.isDirectory(path))
            throw new FileSystemException(path.toString(), null, "a directory, not an archive file");
        if (force || writtenByInlay(path)) return;
        throw new BadInputException(path + " exists and is not an image archive inlay wrote: not overwriting it"
                + " (check the TARGET, or use --force to replace it)");
    }

    /** Whether the file is a tar whose manifest.json or index.json carries inlay's marker; anything else is not. */
    static boolean writtenByInlay(Path path) {
        try (TarTree tree = new TarTree(path)) {
            if (tree.exists("manifest.json")) {
                JsonNode manifest = read(tree, "manifest.json");
                if (manifest.isArray()) {
                    for (JsonNode entry : manifest)
                        if (MARKER_VALUE.equals(entry.path(MARKER).asText(null))) return true;
                }
            }
            if (tree.exists("index.json")) {
                return MARKER_VALUE.equals(read(tree, "index.json")
                        .path("annotations")
                        .path(MARKER)
                        .asText(null));
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static JsonNode read(TarTree tree, String name) throws IOException {
        try (InputStream in = tree.open(name)) {
            return Json.MAPPER.readTree(LayerStreams.readSmall(in, Json.MAX_DOCUMENT_BYTES, name));
        }
    }
}
