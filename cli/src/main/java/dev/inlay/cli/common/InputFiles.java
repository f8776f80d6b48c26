package dev.inlay.cli.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a file the user named, failing with an I/O error (exit 4) that names that path and says why: missing, a
 * directory where a file is expected, unreadable. {@code Files.readAllBytes} on a directory says only "Is a directory".
 */
public final class InputFiles {
    private InputFiles() {}

    public static byte[] readBytes(Path file) throws IOException {
        requireFile(file);
        return Files.readAllBytes(file);
    }

    public static String readString(Path file) throws IOException {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }

    /** A regular file (or a link to one) that exists; otherwise the I/O error that says what it is instead. */
    public static void requireFile(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new FileSystemException(file.toString(), null, "a directory, not a file");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
    }
}
