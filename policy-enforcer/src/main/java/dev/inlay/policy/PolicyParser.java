package dev.inlay.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and validates policy documents. Every problem becomes a {@link PolicyException} with a position. */
public final class PolicyParser {
    private PolicyParser() {
    }

    public static Policy parse(Path file) throws PolicyException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyException(file.toString(), 0, 0, "cannot read policy: " + e.getMessage(), null);
        }
        return parse(text, file.toString());
    }

    public static Policy parse(String text, String source) throws PolicyException {
        throw new UnsupportedOperationException("TODO");
    }
}
