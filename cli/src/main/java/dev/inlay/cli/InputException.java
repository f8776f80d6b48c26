package dev.inlay.cli;

/** Bad input from the user (exit code 3); the message is shown as is, without a stack trace. */
public class InputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
