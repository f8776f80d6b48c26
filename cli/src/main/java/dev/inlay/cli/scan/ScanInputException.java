package dev.inlay.cli.scan;

/** A bad SBOM or other input document of {@code inlay scan}: exit 3. */
public class ScanInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ScanInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
