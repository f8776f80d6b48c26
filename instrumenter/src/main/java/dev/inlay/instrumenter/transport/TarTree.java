package dev.inlay.instrumenter.transport;

import dev.inlay.instrumenter.image.MalformedImageException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An uncompressed tar read in place (random access, nothing extracted). Every entry is checked when the archive is
 * opened: absolute names, {@code ..}, links that leave the archive or point at nothing make it hostile.
 */
final class TarTree implements FileTree {
    private static final int MAX_LINK_HOPS = 16;

    private final Path file;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> entries = new HashMap<>();

    TarTree(Path file) throws IOException {
        this.file = file;
        try {
            this.tar = new TarFile(file);
        } catch (IOException | RuntimeException e) {
            throw new MalformedImageException(file + " is not a readable tar archive: " + e.getMessage(), e);
        }
        try {
            for (TarArchiveEntry e : tar.getEntries()) {
                String name = normalize(e.getName());
                if (name.isEmpty()) continue;
                entries.put(name, e);
            }
            for (Map.Entry<String, TarArchiveEntry> e : entries.entrySet()) {
                TarArchiveEntry entry = e.getValue();
                if (entry.isSymbolicLink() || entry.isLink()) resolveLink(e.getKey(), 0);
                else if (!entry.isFile() && !entry.isDirectory()) {
                    throw new MalformedImageException(file + ": unexpected entry type in " + e.getKey());
                }
            }
        } catch (RuntimeException e) {
            tar.close();
            throw e;
        }
    }

    private String normalize(String raw) {
        String name = raw;
        while (name.startsWith("./")) name = name.substring(2);
        if (name.endsWith("/")) name = name.substring(0, name.length() - 1);
        if (name.startsWith("/")) throw new MalformedImageException(file + ": absolute path in archive: " + raw);
        if (name.isEmpty() || name.equals(".")) return "";
        return FileTree.checkRelative(name, file.toString());
    }

    /** The regular-file entry a name ends at after following links, all of which must stay inside the archive. */
    private TarArchiveEntry resolveLink(String name, int hops) {
        TarArchiveEntry e = entries.get(name);
        if (e == null) throw new MalformedImageException(file + ": link to a missing file: " + name);
        if (hops > MAX_LINK_HOPS) throw new MalformedImageException(file + ": link loop at " + name);
        if (e.isSymbolicLink()) {
            String target = e.getLinkName();
            if (target.startsWith("/"))
                throw new MalformedImageException(file + ": symbolic link " + name + " points outside: " + target);
            String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
            String joined = Path.of("/" + parent + target).normalize().toString();
            if (!Path.of("/" + parent + target).normalize().startsWith("/") || escapes(parent + target)) {
                throw new MalformedImageException(file + ": symbolic link " + name + " points outside: " + target);
            }
            return resolveLink(joined.substring(1), hops + 1);
        }
        if (e.isLink()) {
            String target = e.getLinkName();
            if (target.startsWith("/") || escapes(target)) {
                throw new MalformedImageException(file + ": hard link " + name + " points outside: " + target);
            }
            return resolveLink(normalize(target), hops + 1);
        }
        return e;
    }

    private static boolean escapes(String relative) {
        int depth = 0;
        for (String part : relative.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (--depth < 0) return true;
            } else depth++;
        }
        return false;
    }

    private TarArchiveEntry file(String path) {
        String name = FileTree.checkRelative(path, file.toString());
        TarArchiveEntry e = resolveLink(name, 0);
        if (!e.isFile()) throw new MalformedImageException(file + ": not a regular file: " + path);
        return e;
    }

    @Override
    public boolean exists(String path) {
        TarArchiveEntry e = entries.get(FileTree.checkRelative(path, file.toString()));
        return e != null && !e.isDirectory();
    }

    @Override
    public long size(String path) {
        return file(path).getSize();
    }

    @Override
    public InputStream open(String path) throws IOException {
        return tar.getInputStream(file(path));
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
