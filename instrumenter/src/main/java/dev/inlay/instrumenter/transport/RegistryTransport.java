package dev.inlay.instrumenter.transport;

import dev.inlay.instrumenter.image.ImageArtifact;

import java.io.IOException;
import java.util.function.Predicate;

/** {@code registry://HOST/REPO[:TAG|@DIGEST]} (or a plain reference): the distribution API, see {@link Registry}. */
final class RegistryTransport implements ImageTransport {
    @Override
    public ImageArtifact read(ImageLocation location, Predicate<String> platformWanted, ImageStores session)
            throws IOException {
        RegistryAccess access = session.access();
        return new Registry(
                        location.registryReference(), access, access.sourceAuth(), session.progress(), session.stats())
                .read(platformWanted);
    }

    @Override
    public String write(ImageLocation location, ImageArtifact artifact, ImageStores session) throws IOException {
        RegistryAccess access = session.access();
        return new Registry(
                        location.registryReference(), access, access.targetAuth(), session.progress(), session.stats())
                .write(artifact);
    }
}
