package dev.inlay.instrumenter.image;

import java.io.IOException;
import java.io.InputStream;

/** Where the bytes of a blob come from; opened as many times as needed, each time from the start. */
@FunctionalInterface
public interface BlobSource {
    InputStream open() throws IOException;

    static BlobSource of(byte[] bytes) {
        return () -> new java.io.ByteArrayInputStream(bytes);
    }
}
