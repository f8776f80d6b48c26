package dev.inlay.instrumenter.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** Read access to the files of an image layout or archive, by relative path; the common ground of dirs and tars. */
interface FileTree extends Closeable {
    boolean exists(String path);

    long size(String path) throws IOException;

    InputStream open(String path) throws IOException;

    /** Relative, normalized, inside the tree: the only kind of path a manifest may name. */
    static String checkRelative(String path, String what) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            throw new dev.inlay.instrumenter.image.MalformedImageException(what + ": unsafe path " + path);
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                throw new dev.inlay.instrumenter.image.MalformedImageException(
                        what + ": path escapes the archive: " + path);
            }
        }
        return path.startsWith("./") ? path.substring(2) : path;
    }
}
