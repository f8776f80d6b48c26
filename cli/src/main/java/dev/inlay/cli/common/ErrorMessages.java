package dev.inlay.cli.common;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One-line error messages that keep their reason: the JDK's file exceptions carry only the path as their message
 * ({@code NoSuchFileException: policy.yaml}), which alone says nothing about what went wrong.
 */
public final class ErrorMessages {
    private ErrorMessages() {}

    public static String describe(Throwable t) {
        if (t instanceof UncheckedIOException u && u.getCause() != null) return describe(u.getCause());
        if (t instanceof FileSystemException f) return describe(f);
        String message = t.getMessage();
        if (message == null || message.isBlank()) return t.getClass().getSimpleName();
        return message;
    }

    private static String describe(FileSystemException f) {
        String file = f.getFile();
        String other = f.getOtherFile();
        String reason = f.getReason();
        String what;
        if (f instanceof NoSuchFileException) what = "no such file or directory";
        else if (f instanceof AccessDeniedException) what = "permission denied";
        else if (f instanceof FileAlreadyExistsException) what = "already exists";
        else if (f instanceof NotDirectoryException) what = "not a directory";
        else if (f instanceof DirectoryNotEmptyException) what = "directory not empty";
        else what = reason == null ? "file system error" : reason;
        if (reason != null && !what.equals(reason)) what = what + " (" + reason + ")";
        if (file == null) return what;
        return what + ": " + file + (other == null ? "" : " -> " + other);
    }
}
