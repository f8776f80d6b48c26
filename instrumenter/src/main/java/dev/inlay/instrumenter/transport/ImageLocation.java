package dev.inlay.instrumenter.transport;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.inlay.instrumenter.BadInputException;

import java.nio.file.Path;

/**
 * Where an image is: {@code registry://host[:port]/repo[:tag|@digest]} or a plain {@code host/repo:tag},
 * {@code docker-archive:PATH[:REF]}, {@code oci:DIR[:REF]}, {@code oci-archive:PATH[:REF]}.
 */
public record ImageLocation(Kind kind, Path path, String ref, ImageReference registryReference, String text) {
    /** The kinds of place, each read and written by its own {@link ImageTransport}. */
    public enum Kind {
        REGISTRY(new RegistryTransport()),
        DOCKER_ARCHIVE(new DockerArchiveTransport()),
        OCI_DIR(new OciLayoutTransport()),
        OCI_ARCHIVE(new OciArchiveTransport());

        private final ImageTransport transport;

        Kind(ImageTransport transport) {
            this.transport = transport;
        }

        ImageTransport transport() {
            return transport;
        }
    }

    public static ImageLocation parse(String text) {
        if (text == null || text.isBlank()) throw new BadInputException("empty image location");
        if (text.startsWith("docker-archive:")) return file(Kind.DOCKER_ARCHIVE, text, "docker-archive:".length());
        if (text.startsWith("oci-archive:")) return file(Kind.OCI_ARCHIVE, text, "oci-archive:".length());
        if (text.startsWith("oci:")) return file(Kind.OCI_DIR, text, "oci:".length());
        String name = text;
        if (name.startsWith("registry://")) name = name.substring("registry://".length());
        else if (name.startsWith("docker://")) name = name.substring("docker://".length());
        try {
            return new ImageLocation(Kind.REGISTRY, null, null, ImageReference.parse(name), text);
        } catch (InvalidImageReferenceException e) {
            throw new BadInputException(
                    "not an image location: " + text
                            + " (expected registry://HOST/REPO:TAG, HOST/REPO:TAG, docker-archive:PATH, oci:DIR[:REF] or oci-archive:PATH[:REF])");
        }
    }

    private static ImageLocation file(Kind kind, String text, int prefix) {
        String rest = text.substring(prefix);
        // As in containers/image: the path ends at the first colon, what follows is the reference.
        int colon = rest.indexOf(':');
        String path = colon < 0 ? rest : rest.substring(0, colon);
        String ref = colon < 0 || colon == rest.length() - 1 ? null : rest.substring(colon + 1);
        if (path.isEmpty()) throw new BadInputException("no path in " + text);
        return new ImageLocation(kind, Path.of(path), ref, null, text);
    }

    /** {@code HOST/REPO} of a registry location, for a reference pinned by digest ({@code HOST/REPO@DIGEST}). */
    public String repository() {
        if (kind != Kind.REGISTRY) throw new IllegalStateException(text + " is not in a registry");
        return registryReference.getRegistry() + "/" + registryReference.getRepository();
    }

    @Override
    public String toString() {
        return text;
    }
}
