package dev.inlay.instrumenter.image;

import dev.inlay.cli.InputException;

/** An image, archive or layout that is corrupt, inconsistent or hostile (exit code 3). */
public class MalformedImageException extends InputException {
    private static final long serialVersionUID = 1L;

    public MalformedImageException(String message) {
        super(message);
    }

    public MalformedImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
