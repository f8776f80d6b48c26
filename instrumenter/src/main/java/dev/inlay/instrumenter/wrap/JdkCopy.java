package dev.inlay.instrumenter.wrap;

import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.LayerStreams;
import dev.inlay.instrumenter.image.MalformedImageException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One JDK of an image copied out of its layers into a directory of this machine, so that the image's own JVM can run
 * here ({@link StartupArchive}): the files under its Java home and the files its symbolic links lead to elsewhere in
 * the image (Debian's JDKs link {@code lib/jvm.cfg} and the security files to {@code /etc}). The copy mirrors the
 * image's paths under the directory, absolute link targets rewritten to stay inside it; whiteouts apply to lower
 * layers as the container runtime applies them.
 */
final class JdkCopy {
    /** More than any JDK (~300 MB unpacked); a hostile image's bomb stops here. */
    private static final long MAX_BYTES = 2L << 30;

    private static final int MAX_ROUNDS = 8;

    private final Path root;
    /** The root with every link resolved: what each write, copy and delete must stay under. */
    private final Path realRoot;

    private final Set<String> wanted;
    private long written;

    private JdkCopy(Path root, Set<String> wanted) throws IOException {
        this.root = root;
        this.realRoot = root.toRealPath();
        this.wanted = wanted;
    }

    /** Copies the JDK whose {@code bin/java} is {@code jvm} and returns the path of that {@code bin/java} in the copy. */
    static Path copy(List<Layer> layers, ImageFilesystem fs, ImageFilesystem.Jvm jvm, Path root) throws IOException {
        JdkCopy copy = new JdkCopy(root, wantedTrees(fs, fs.resolve(jvm.home())));
        for (int i = 0; i < layers.size(); i++) copy.apply(layers.get(i), i);
        Path java = root.resolve(fs.resolve(jvm.javaPath()).substring(1));
        if (!Files.isRegularFile(java))
            throw new MalformedImageException(jvm.javaPath() + " is not in the image's layers");
        return java;
    }

    /** The Java home and, transitively, every directory or file a symbolic link inside a wanted tree resolves to. */
    private static Set<String> wantedTrees(ImageFilesystem fs, String home) {
        Set<String> wanted = new LinkedHashSet<>();
        wanted.add(home);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Set<String> more = new HashSet<>();
            for (String link : fs.symlinkPaths()) {
                if (!within(link, wanted)) continue;
                // The link's own target (a link to a link must find the second one) and where it finally leads.
                for (String target : List.of(fs.symlinkTarget(link), fs.resolve(link))) {
                    if (!within(target, wanted)) more.add(target);
                }
            }
            if (more.isEmpty()) break;
            wanted.addAll(more);
        }
        return wanted;
    }

    private static boolean within(String path, Set<String> trees) {
        for (String tree : trees) {
            if (path.equals(tree) || tree.equals("/") || path.startsWith(tree + "/")) return true;
        }
        return false;
    }

    private void apply(Layer layer, int index) throws IOException {
        String what = "layer " + index + " (" + layer.digest() + ")";
        Set<String> ownEntries = new HashSet<>();
        try (InputStream raw = LayerStreams.uncompressed(layer.content(), what);
                TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String path = ImageFilesystem.normalize(e.getName(), what);
                if (path == null) continue;
                String name = path.substring(path.lastIndexOf('/') + 1);
                String dir = path.substring(0, path.lastIndexOf('/'));
                // A whiteout hides what lower layers hold, never what its own layer holds (OCI image spec).
                if (name.equals(".wh..wh..opq")) {
                    clearChildren(dir, ownEntries);
                    continue;
                }
                if (name.startsWith(".wh.")) {
                    String hidden = dir + "/" + name.substring(4);
                    if (!ownEntries.contains(hidden) && insideCopy(local(hidden))) delete(local(hidden));
                    continue;
                }
                if (!within(path, wanted)) continue;
                ownEntries.add(path);
                Path local = local(path);
                requireInside(local, what);
                if (e.isDirectory()) {
                    if (!Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) {
                        delete(local);
                        Files.createDirectories(local);
                    }
                    continue;
                }
                Files.createDirectories(local.getParent());
                requireInside(local, what);
                delete(local);
                if (e.isSymbolicLink()) {
                    String target = e.getLinkName();
                    // An absolute target names the image's root, which is this copy's root ("/.." is "/" there too);
                    // a relative one that climbs out is caught when something is written through it.
                    Files.createSymbolicLink(
                            local,
                            target.startsWith("/")
                                    ? root.resolve(Path.of(target)
                                            .normalize()
                                            .toString()
                                            .substring(1))
                                    : Path.of(target));
                } else if (e.isLink()) {
                    String target = ImageFilesystem.normalize(e.getLinkName(), what);
                    if (target != null
                            && Files.isRegularFile(local(target), LinkOption.NOFOLLOW_LINKS)
                            && insideCopy(local(target))) {
                        Files.copy(local(target), local);
                    }
                } else if (e.isFile()) {
                    written += e.getSize();
                    if (written > MAX_BYTES) {
                        throw new MalformedImageException("the JDK in the image holds more than " + (MAX_BYTES >> 20)
                                + " MB of files; not copied");
                    }
                    Files.copy(tar, local, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(local, permissions(e.getMode()));
                }
            }
        } catch (MalformedImageException | dev.inlay.instrumenter.image.BlobReadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MalformedImageException(what + " could not be copied: " + e.getMessage(), e);
        }
    }

    /**
     * The image's links are rewritten, not trusted: an entry whose directory leads out of the copy through a link (a
     * hostile {@code lib -> ../../../../home} followed by {@code lib/.ssh/authorized_keys}) is refused, so nothing is
     * written, copied or deleted outside it.
     */
    private void requireInside(Path local, String what) throws IOException {
        if (!insideCopy(local)) {
            throw new MalformedImageException(what + ": " + root.relativize(local) + " leads out of the image's root"
                    + " through a symbolic link");
        }
    }

    private boolean insideCopy(Path local) {
        Path dir = local.getParent();
        while (dir != null && !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) dir = dir.getParent();
        try {
            return dir != null && dir.toRealPath().startsWith(realRoot);
        } catch (IOException dangling) {
            return false;
        }
    }

    /** Inside the copy: the root joined with a normalized image path (no "..", already refused). */
    private Path local(String imagePath) {
        return root.resolve(imagePath.substring(1));
    }

    private void clearChildren(String dir, Set<String> ownEntries) throws IOException {
        Path local = local(dir.isEmpty() ? "/" : dir);
        if (!Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS) || !insideCopy(local)) return;
        try (Stream<Path> children = Files.list(local)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String imagePath = "/" + root.relativize(child);
                if (!writtenBy(ownEntries, imagePath)) delete(child);
            }
        }
    }

    private static boolean writtenBy(Set<String> ownEntries, String path) {
        for (String own : ownEntries) if (own.equals(path) || own.startsWith(path + "/")) return true;
        return false;
    }

    private static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(path);
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if ((mode & 0111) != 0) set.add(PosixFilePermission.OWNER_EXECUTE);
        return set;
    }
}
