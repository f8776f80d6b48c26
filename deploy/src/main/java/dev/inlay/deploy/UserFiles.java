package dev.inlay.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files the user named (an image map, a policy): an I/O error that names the path and says why when one is missing or
 * a directory ({@code Files.readString} on a directory says only "Is a directory").
 */
final class UserFiles {
    private UserFiles() {}

    static void requireFile(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new FileSystemException(file.toString(), null, "a directory, not a file");
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
    }

    static String readString(Path file) throws IOException {
        requireFile(file);
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
