package dev.inlay.instrumenter.admission;

import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;
import dev.inlay.instrumenter.transport.ImageLocation;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.transport.RegistryAccess;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads manifests and configs (never layers) through inlay's registry client. What a digest names never changes, so
 * the facts of a digest-pinned reference are kept (up to {@link #CACHE_ENTRIES} of them, least recently used out);
 * a tag is read again every time, and a failure is never kept.
 */
public final class RegistryImageInspector implements ImageInspector {
    static final int CACHE_ENTRIES = 4096;

    private final RegistryAccess access;
    private final Map<String, ImageFacts> pinned = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ImageFacts> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    public RegistryImageInspector(RegistryAccess access) {
        this.access = access;
    }

    @Override
    public ImageFacts inspect(String image) throws IOException {
        ImageLocation location = ImageLocation.parse(image);
        if (location.kind() != ImageLocation.Kind.REGISTRY)
            throw new IllegalArgumentException("not a registry image: " + image);
        boolean byDigest = location.registryReference().getDigest().isPresent();
        String key = location.registryReference().toString();
        if (byDigest) {
            synchronized (pinned) {
                ImageFacts known = pinned.get(key);
                if (known != null) return known;
            }
        }
        ImageFacts facts;
        try (ImageStores stores = new ImageStores(access, Progress.SILENT)) {
            facts = factsOf(stores.read(location, null));
        }
        if (byDigest) {
            synchronized (pinned) {
                pinned.put(key, facts);
            }
        }
        return facts;
    }

    static ImageFacts factsOf(ImageArtifact artifact) {
        List<ImageFacts.Platform> platforms = new ArrayList<>();
        if (artifact instanceof Image image) {
            platforms.add(platformOf(image));
            return new ImageFacts(image.digest(), false, platforms);
        }
        ImageIndex index = (ImageIndex) artifact;
        for (ImageIndex.Entry e : index.entries()) if (e.image() != null) platforms.add(platformOf(e.image()));
        return new ImageFacts(index.digest(), true, platforms);
    }

    private static ImageFacts.Platform platformOf(Image image) {
        return new ImageFacts.Platform(
                image.platform(),
                image.digest(),
                "true".equals(image.label("dev.inlay.wrapped")),
                image.label("dev.inlay.mode"),
                image.label(dev.inlay.instrumenter.wrap.Wrapper.LABEL_AGENT_FLAG));
    }
}
