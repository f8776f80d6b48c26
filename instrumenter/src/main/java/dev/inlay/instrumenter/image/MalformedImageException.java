package dev.inlay.instrumenter.image;

import dev.inlay.instrumenter.BadInputException;

/** An image, archive or layout that is corrupt, inconsistent or hostile (bad input). */
public class MalformedImageException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public MalformedImageException(String message) {
        super(message);
    }

    public MalformedImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
