package dev.inlay.instrumenter.transport;

import dev.inlay.instrumenter.image.ImageArtifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Predicate;

/**
 * {@code oci-archive:PATH[:REF]}: an OCI image layout in a tar file, read in place; written as a layout beside the
 * target, tarred, and moved over it in one step.
 */
final class OciArchiveTransport extends FileTransport {
    @Override
    public ImageArtifact read(ImageLocation location, Predicate<String> platformWanted, ImageStores session)
            throws IOException {
        TarTree tree = openTar(location.path(), session);
        return OciLayout.read(
                tree, location.ref(), platformWanted, location.path().toString());
    }

    @Override
    String writeFile(ImageLocation location, ImageArtifact artifact, ImageStores session) throws IOException {
        Path parent = location.path().toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = session.deleteAtClose(
                Files.createTempDirectory(parent, "." + location.path().getFileName() + ".inlay-"));
        Path layout = work.resolve("layout");
        OciLayout.write(layout, location.ref(), artifact, session.stats(), true);
        Path tar = work.resolve("archive.tar");
        Archives.tarDirectory(
                layout, tar, session.progress(), location.path().getFileName().toString());
        Files.move(tar, location.path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return artifact.digest();
    }
}
