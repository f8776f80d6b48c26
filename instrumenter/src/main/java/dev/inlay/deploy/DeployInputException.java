package dev.inlay.deploy;

import dev.inlay.cli.InputException;

/** A deployment document, image mapping or option value that cannot be used (exit code 3). */
public final class DeployInputException extends InputException {
    private static final long serialVersionUID = 1L;

    public DeployInputException(String message) {
        super(message);
    }

    public DeployInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
