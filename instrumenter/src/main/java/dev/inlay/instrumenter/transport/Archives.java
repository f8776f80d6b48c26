package dev.inlay.instrumenter.transport;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Packs a directory into a reproducible tar (sorted names, fixed times, root-owned). */
final class Archives {
    private Archives() {
    }

    static void tarDirectory(Path dir, Path tarFile) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> !p.equals(dir)).sorted().toList();
        }
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(Files.newOutputStream(tarFile), 1 << 16))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path p : files) {
                String name = dir.relativize(p).toString().replace('\\', '/');
                boolean isDir = Files.isDirectory(p);
                TarArchiveEntry e = new TarArchiveEntry(isDir ? name + "/" : name);
                e.setModTime(0);
                e.setMode(isDir ? 040755 : 0100644);
                if (!isDir) e.setSize(Files.size(p));
                tar.putArchiveEntry(e);
                if (!isDir) Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }
}
