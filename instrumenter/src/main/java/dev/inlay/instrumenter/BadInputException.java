package dev.inlay.instrumenter;

/**
 * An image location, policy, option value or image that inlay cannot use: the user's input, not a failure of a file,
 * network or registry. The command line shows the message as it is, without a stack trace, and exits with 3
 * (docs/CLI.md); this module knows nothing of the command line.
 */
public class BadInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
