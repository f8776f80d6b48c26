package dev.inlay.instrumenter.transport;

import dev.inlay.instrumenter.BadInputException;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** {@code docker-archive:PATH[:REF]}: what {@code docker save} writes and {@code docker load} reads, see {@link DockerArchive}. */
final class DockerArchiveTransport extends FileTransport {
    @Override
    public ImageArtifact read(ImageLocation location, Predicate<String> platformWanted, ImageStores session)
            throws IOException {
        return DockerArchive.read(
                openTar(location.path(), session),
                location.ref(),
                location.path().toString(),
                session.progress());
    }

    @Override
    String writeFile(ImageLocation location, ImageArtifact artifact, ImageStores session) throws IOException {
        Image image = single(artifact);
        DockerArchive.write(location.path(), location.ref(), image, session.stats());
        return image.digest();
    }

    /** A docker archive holds one platform's image. */
    private static Image single(ImageArtifact artifact) {
        if (artifact instanceof Image image) return image;
        List<Image> images = new ArrayList<>();
        for (ImageIndex.Entry e : ((ImageIndex) artifact).entries()) if (e.image() != null) images.add(e.image());
        if (images.size() != 1) {
            throw new BadInputException("a docker archive holds one platform; the source has " + images.size()
                    + " (choose one with --platform)");
        }
        return images.get(0);
    }
}
