package dev.inlay.instrumenter.transport;

import dev.inlay.instrumenter.image.ImageArtifact;

import java.io.IOException;
import java.util.function.Predicate;

/**
 * One kind of place an image can be, read and written the same way whatever the kind (the split of
 * go-containerregistry's {@code remote}, {@code tarball} and {@code layout}): {@link RegistryTransport},
 * {@link DockerArchiveTransport}, {@link OciLayoutTransport}, {@link OciArchiveTransport}. Each {@link ImageLocation.Kind}
 * names its transport, so that {@link ImageStores} dispatches on none. What is read stays backed by its source (an
 * archive read in place, registry blobs fetched on demand) until the session is closed.
 */
interface ImageTransport {
    /**
     * The image or index at {@code location}; {@code platformWanted} says which platforms of an index to read
     * ({@code os/arch[/variant]}).
     */
    ImageArtifact read(ImageLocation location, Predicate<String> platformWanted, ImageStores session)
            throws IOException;

    /** Writes everything the artifact needs; returns the digest of what was written (its manifest or index). */
    String write(ImageLocation location, ImageArtifact artifact, ImageStores session) throws IOException;
}
