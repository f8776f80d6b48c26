package dev.inlay.instrumenter.transport;

import dev.inlay.instrumenter.image.MalformedImageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** A directory (an OCI layout) whose files are read without following any link out of it. */
final class DirectoryTree implements FileTree {
    private final Path root;

    DirectoryTree(Path root) throws IOException {
        this.root = root.toRealPath();
    }

    private Path resolve(String path) throws IOException {
        Path p = root.resolve(FileTree.checkRelative(path, root.toString())).normalize();
        if (!p.startsWith(root)) throw new MalformedImageException("path escapes " + root + ": " + path);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            Path real = p.toRealPath();
            if (!real.startsWith(root)) throw new MalformedImageException("link escapes " + root + ": " + path);
        }
        return p;
    }

    /** The real file behind a path (checked to be inside the tree). */
    Path file(String path) throws IOException {
        return resolve(path).toRealPath();
    }

    @Override
    public boolean exists(String path) {
        try {
            return Files.isRegularFile(resolve(path));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public long size(String path) throws IOException {
        return Files.size(resolve(path));
    }

    @Override
    public InputStream open(String path) throws IOException {
        return Files.newInputStream(resolve(path));
    }

    @Override
    public void close() {}
}
