package dev.inlay.deploy;

/** A deployment document, image mapping or option value that cannot be used (bad input: the CLI exits with 3). */
public final class DeployInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DeployInputException(String message) {
        super(message);
    }

    public DeployInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
