package dev.inlay.cli.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file the user named atomically (a temporary file beside it, moved into place when complete), so a failed
 * run never leaves half a file; a failure names the user's path, never the temporary one.
 */
public final class OutputFiles {
    private OutputFiles() {}

    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Fails with the I/O error that says why {@code target} cannot be written where it is: a file where a directory
     * of its path should be ("not a directory: that file"), or, unless {@code mayCreate}, a directory that is missing.
     */
    public static void checkParent(Path target, boolean mayCreate) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) break;
            if (Files.exists(p)) throw new NotDirectoryException(p.toString());
        }
        if (!mayCreate && !Files.isDirectory(dir)) {
            throw new NoSuchFileException(target.toString(), null, "its directory " + dir + " does not exist");
        }
    }

    public static void write(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) throw new FileSystemException(file.toString(), null, "a directory, not a file");
        checkParent(file, false);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        } catch (FileSystemException e) {
            throw new FileSystemException(file.toString(), null, "cannot write beside it: " + reasonOf(e));
        }
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.writeTo(out);
            } catch (FileSystemException e) {
                throw new FileSystemException(file.toString(), null, "cannot write: " + reasonOf(e));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                throw new FileSystemException(file.toString(), null, "cannot replace: " + reasonOf(e));
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String reasonOf(FileSystemException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or directory";
        return e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
    }
}
