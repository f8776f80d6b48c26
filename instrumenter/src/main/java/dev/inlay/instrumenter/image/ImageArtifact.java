package dev.inlay.instrumenter.image;

/** What an image reference names: one image, or an index of per-platform images. */
public sealed interface ImageArtifact permits Image, ImageIndex {
    /** The raw bytes of the top-level manifest or index, exactly as stored. */
    byte[] manifestBytes();

    String mediaType();

    default String digest() {
        return Digests.of(manifestBytes());
    }
}
