package dev.inlay.profiler;

/** Input the profiler cannot use (no profile in the inputs, a bad duration, a malformed hits line): exit code 3. */
public class ProfilerInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ProfilerInputException(String message) {
        super(message);
    }

    public ProfilerInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
