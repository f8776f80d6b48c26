package dev.inlay.instrumenter.transport;

import dev.inlay.instrumenter.image.ImageArtifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.function.Predicate;

/** {@code oci:DIR[:REF]}: an OCI image layout directory, see {@link OciLayout}. */
final class OciLayoutTransport extends FileTransport {
    @Override
    public ImageArtifact read(ImageLocation location, Predicate<String> platformWanted, ImageStores session)
            throws IOException {
        if (!Files.exists(location.path()))
            throw new NoSuchFileException(location.path().toString());
        if (!Files.isDirectory(location.path()))
            throw new NotDirectoryException(location.path().toString());
        DirectoryTree tree = session.keepOpen(new DirectoryTree(location.path()));
        return OciLayout.read(
                tree, location.ref(), platformWanted, location.path().toString());
    }

    @Override
    String writeFile(ImageLocation location, ImageArtifact artifact, ImageStores session) throws IOException {
        OciLayout.write(location.path(), location.ref(), artifact, session.stats());
        return artifact.digest();
    }
}
