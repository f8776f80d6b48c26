package dev.inlay.instrumenter.transport;

import dev.inlay.instrumenter.image.ImageArtifact;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A transport whose image is a file or directory on this machine: a write names the user's path when it fails, never
 * the temporary file or directory inlay writes beside it.
 */
abstract class FileTransport implements ImageTransport {
    @Override
    public final String write(ImageLocation location, ImageArtifact artifact, ImageStores session) throws IOException {
        checkParent(location.path());
        try {
            return writeFile(location, artifact, session);
        } catch (FileSystemException e) {
            // The temporary file or directory beside the target is inlay's business: name the user's path.
            if (e.getFile() == null || !e.getFile().contains(".inlay-")) throw e;
            throw new FileSystemException(
                    location.path().toString(),
                    null,
                    "cannot write: " + (e.getReason() == null ? "file system error" : e.getReason()));
        }
    }

    abstract String writeFile(ImageLocation location, ImageArtifact artifact, ImageStores session) throws IOException;

    /** A file where a directory of the target's path should be: "not a directory: that file". */
    private static void checkParent(Path target) throws IOException {
        for (Path p = target.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) return;
            if (Files.exists(p)) throw new NotDirectoryException(p.toString());
        }
    }

    /** An archive to read: a regular file (or a link to one) that exists, opened for the rest of the session. */
    static TarTree openTar(Path path, ImageStores session) throws IOException {
        if (Files.isDirectory(path)) throw new FileSystemException(path.toString(), null, "a directory, not a file");
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
        return session.keepOpen(new TarTree(path));
    }
}
