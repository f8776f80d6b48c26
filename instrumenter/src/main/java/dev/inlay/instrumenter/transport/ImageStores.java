package dev.inlay.instrumenter.transport;

import dev.inlay.instrumenter.BadInputException;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads an image from any {@link ImageLocation} and writes one to any other, through the location's
 * {@link ImageTransport}. A read image keeps its source open (archives are read in place, registry blobs on demand)
 * until this session is closed.
 */
public final class ImageStores implements Closeable {
    private final RegistryAccess access;
    private final Progress progress;
    private final TransferStats stats;
    private final List<Closeable> open = new ArrayList<>();
    private final List<Path> temporary = new ArrayList<>();

    public ImageStores(Set<String> insecureRegistries, Progress progress) {
        this(RegistryAccess.of(insecureRegistries), progress);
    }

    public ImageStores(RegistryAccess access, Progress progress) {
        this.access = access;
        this.progress = progress;
        this.stats = new TransferStats(progress);
    }

    public TransferStats stats() {
        return stats;
    }

    /**
     * Platforms are {@code os/arch[/variant]}; {@code null} reads every platform of an index. A platform that matches
     * nothing in the image (an index without it, a single-platform image of another platform) is bad input, not an
     * empty or unfiltered result.
     */
    public ImageArtifact read(ImageLocation location, String platform) throws IOException {
        ImageArtifact artifact = readAny(location, platform);
        if (platform != null) requirePlatform(location, platform, artifact);
        return artifact;
    }

    private ImageArtifact readAny(ImageLocation location, String platform) throws IOException {
        Predicate<String> wanted = p -> platform == null ? !p.equals("unknown/unknown") : matches(platform, p);
        return location.kind().transport().read(location, wanted, this);
    }

    private static void requirePlatform(ImageLocation location, String platform, ImageArtifact artifact) {
        List<String> present = new ArrayList<>();
        if (artifact instanceof Image image) {
            if (matches(platform, image.platform())) return;
            present.add(image.platform());
        } else {
            for (ImageIndex.Entry e : ((ImageIndex) artifact).entries()) {
                if (e.image() != null) return;
                if (!e.platform().equals("unknown/unknown")) present.add(e.platform());
            }
        }
        throw new BadInputException("--platform " + platform + " matches nothing in " + location + " (it has: "
                + (present.isEmpty() ? "no platform" : String.join(", ", present)) + ")");
    }

    static boolean matches(String wanted, String platform) {
        return platform.equals(wanted) || platform.startsWith(wanted + "/");
    }

    /** Writes the artifact; returns the digest of what was written (the manifest or index digest). */
    public String write(ImageLocation location, ImageArtifact artifact) throws IOException {
        return location.kind().transport().write(location, artifact, this);
    }

    // ---- what transports use while the session lasts

    RegistryAccess access() {
        return access;
    }

    Progress progress() {
        return progress;
    }

    /** Closed when the session is: an archive read in place stays open while its layers may be read. */
    <T extends Closeable> T keepOpen(T source) {
        open.add(source);
        return source;
    }

    /** Deleted (recursively) when the session is closed. */
    Path deleteAtClose(Path temporaryPath) {
        temporary.add(temporaryPath);
        return temporaryPath;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        open.clear();
        for (Path p : temporary) Paths2.deleteRecursively(p);
        temporary.clear();
        if (first != null) throw first;
    }
}
