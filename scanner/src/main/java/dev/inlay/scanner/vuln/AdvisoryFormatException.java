package dev.inlay.scanner.vuln;

/** An advisory database or record that is not valid OSV: bad input (exit 3), naming the file or zip entry. */
public class AdvisoryFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public AdvisoryFormatException(String message) {
        super(message);
    }

    public AdvisoryFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
