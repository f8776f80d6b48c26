package dev.inlay.instrumenter.image;

import java.io.IOException;

/**
 * The source of a blob failed while it was being read (a registry download broke off): a failure of the place the
 * image comes from, not of the image's content, so a reader of the layer's tar passes it on as it is.
 */
public class BlobReadException extends IOException {
    public BlobReadException(IOException cause) {
        super(cause.getMessage(), cause);
    }
}
