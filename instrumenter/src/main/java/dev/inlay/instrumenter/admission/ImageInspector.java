package dev.inlay.instrumenter.admission;

import java.io.IOException;

/** Reads an image's {@link ImageFacts}; the webhook's one way to the registry. */
public interface ImageInspector {
    /**
     * @param image an image reference as a pod spec names it ({@code host/repo:tag@sha256:...})
     * @throws IOException the registry could not be read (unreachable, refused, image not found)
     */
    ImageFacts inspect(String image) throws IOException;
}
