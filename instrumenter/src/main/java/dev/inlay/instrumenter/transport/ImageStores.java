package dev.inlay.instrumenter.transport;

import dev.inlay.cli.InputException;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads an image from any {@link ImageLocation} and writes one to any other. A read image keeps its source open
 * (archives are read in place, registry blobs on demand) until the store is {@link #close() closed}.
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
        return switch (location.kind()) {
            case REGISTRY -> new Registry(location.registryReference(), access, access.sourceAuth(), progress, stats).read(wanted);
            case OCI_DIR -> {
                if (!Files.exists(location.path())) throw new java.nio.file.NoSuchFileException(location.path().toString());
                if (!Files.isDirectory(location.path())) throw new java.nio.file.NotDirectoryException(location.path().toString());
                DirectoryTree tree = new DirectoryTree(location.path());
                open.add(tree);
                yield OciLayout.read(tree, location.ref(), wanted, location.path().toString());
            }
            case OCI_ARCHIVE -> {
                TarTree tree = openTar(location.path());
                yield OciLayout.read(tree, location.ref(), wanted, location.path().toString());
            }
            case DOCKER_ARCHIVE -> DockerArchive.read(openTar(location.path()), location.ref(), location.path().toString(), progress);
        };
    }

    private TarTree openTar(Path path) throws IOException {
        dev.inlay.cli.common.InputFiles.requireFile(path);
        TarTree tree = new TarTree(path);
        open.add(tree);
        return tree;
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
        throw new InputException("--platform " + platform + " matches nothing in " + location + " (it has: "
                + (present.isEmpty() ? "no platform" : String.join(", ", present)) + ")");
    }

    static boolean matches(String wanted, String platform) {
        return platform.equals(wanted) || platform.startsWith(wanted + "/");
    }

    /** Writes the artifact; returns the digest of what was written (the manifest or index digest). */
    public String write(ImageLocation location, ImageArtifact artifact) throws IOException {
        if (location.kind() != ImageLocation.Kind.REGISTRY) {
            dev.inlay.cli.common.OutputFiles.checkParent(location.path(), true);
            try {
                return writeTo(location, artifact);
            } catch (java.nio.file.FileSystemException e) {
                // The temporary file or directory beside the target is inlay's business: name the user's path.
                if (e.getFile() == null || !e.getFile().contains(".inlay-")) throw e;
                throw new java.nio.file.FileSystemException(location.path().toString(), null,
                        "cannot write: " + dev.inlay.cli.common.ErrorMessages.describe(
                                new java.nio.file.FileSystemException(null, null, e.getReason())));
            }
        }
        return writeTo(location, artifact);
    }

    private String writeTo(ImageLocation location, ImageArtifact artifact) throws IOException {
        return switch (location.kind()) {
            case REGISTRY -> new Registry(location.registryReference(), access, access.targetAuth(), progress, stats).write(artifact);
            case OCI_DIR -> {
                OciLayout.write(location.path(), location.ref(), artifact, stats);
                yield artifact.digest();
            }
            case OCI_ARCHIVE -> {
                Path parent = location.path().toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Path work = Files.createTempDirectory(parent, "." + location.path().getFileName() + ".inlay-");
                temporary.add(work);
                Path layout = work.resolve("layout");
                OciLayout.write(layout, location.ref(), artifact, stats, true);
                Path tar = work.resolve("archive.tar");
                Archives.tarDirectory(layout, tar, progress, location.path().getFileName().toString());
                Files.move(tar, location.path(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                yield artifact.digest();
            }
            case DOCKER_ARCHIVE -> {
                Image image = single(artifact, "a docker archive");
                DockerArchive.write(location.path(), location.ref(), image, stats);
                yield image.digest();
            }
        };
    }

    private static Image single(ImageArtifact artifact, String where) {
        if (artifact instanceof Image image) return image;
        List<Image> images = new ArrayList<>();
        for (ImageIndex.Entry e : ((ImageIndex) artifact).entries()) if (e.image() != null) images.add(e.image());
        if (images.size() != 1) {
            throw new InputException(where + " holds one platform; the source has " + images.size() + " (choose one with --platform)");
        }
        return images.get(0);
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
