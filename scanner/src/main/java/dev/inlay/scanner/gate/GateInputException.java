package dev.inlay.scanner.gate;

/** A bad ignore file or gate input: bad input (exit 3). */
public class GateInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public GateInputException(String message) {
        super(message);
    }

    public GateInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
