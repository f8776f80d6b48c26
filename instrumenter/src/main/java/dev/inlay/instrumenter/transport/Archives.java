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
    private Archives() {}

    static void tarDirectory(Path dir, Path tarFile) throws IOException {
        tarDirectory(dir, tarFile, Progress.SILENT, tarFile.toString());
    }

    /** @param shownAs the name progress shows: the user's target, not the temporary file being written */
    static void tarDirectory(Path dir, Path tarFile, Progress progress, String shownAs) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> !p.equals(dir)).sorted().toList();
        }
        long total = 0;
        for (Path p : files) if (Files.isRegularFile(p)) total += Files.size(p);
        Progress.Task task = progress.start("packing " + shownAs, total);
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new BufferedOutputStream(Files.newOutputStream(tarFile), 1 << 16))) {
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
                if (!isDir) {
                    try (java.io.InputStream in = Files.newInputStream(p)) {
                        byte[] buf = new byte[1 << 16];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            tar.write(buf, 0, n);
                            task.advance(n);
                        }
                    }
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        task.done();
    }
}
