package dev.inlay.instrumenter.wrap;

import dev.inlay.instrumenter.image.BlobSource;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.LayerStreams;
import dev.inlay.instrumenter.image.MalformedImageException;
import dev.inlay.model.LayerLayout;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one layer inlay adds: {@code /opt/inlay/} and its files. Reproducible: sorted entries, fixed times, root-owned,
 * gzip without a timestamp, so the same inputs give the same digest.
 */
public final class InlayLayer {
    /** Where the layer's files are in its tar: {@link LayerLayout#DIR}, relative, with a trailing slash. */
    public static final String DIR = LayerLayout.DIR.substring(1) + "/";

    /** One second after the epoch, as Jib does: some tools read a zero time as "unset". */
    private static final long MTIME_MILLIS = 1000L;

    private static final long MAX_FILE_BYTES = 256L << 20;

    private final byte[] tar;
    private final byte[] gzip;

    private InlayLayer(byte[] tar, byte[] gzip) {
        this.tar = tar;
        this.gzip = gzip;
    }

    /** Builds the layer from file name (under /opt/inlay/) to content. */
    public static InlayLayer build(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tarBytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            directory(out, "opt/");
            directory(out, DIR);
            for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(DIR + f.getKey());
                e.setSize(f.getValue().length);
                e.setMode(0100644);
                owned(e);
                out.putArchiveEntry(e);
                out.write(f.getValue());
                out.closeArchiveEntry();
            }
            out.finish();
        }
        byte[] tar = tarBytes.toByteArray();
        GzipParameters params = new GzipParameters();
        params.setModificationTime(0);
        params.setOperatingSystem(255);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream out = new GzipCompressorOutputStream(gz, params)) {
            out.write(tar);
        }
        return new InlayLayer(tar, gz.toByteArray());
    }

    private static void directory(TarArchiveOutputStream out, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        owned(e);
        out.putArchiveEntry(e);
        out.closeArchiveEntry();
    }

    private static void owned(TarArchiveEntry e) {
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("root");
        e.setGroupName("root");
        e.setModTime(MTIME_MILLIS);
    }

    public String diffId() {
        return Digests.of(tar);
    }

    public Layer asLayer(String mediaType) {
        byte[] blob = gzip.clone();
        return Layer.of(mediaType, Digests.of(blob), blob.length, diffId(), BlobSource.of(blob));
    }

    /** Reads the named files of an inlay layer back (for unwrap and re-wrap). */
    public static Map<String, byte[]> read(Layer layer, Set<String> names) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        try (InputStream in = LayerStreams.uncompressed(layer.content(), "inlay layer");
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (!e.isFile() || !name.startsWith(DIR)) continue;
                String file = name.substring(DIR.length());
                if (!names.contains(file)) continue;
                if (e.getSize() > MAX_FILE_BYTES)
                    throw new MalformedImageException("inlay layer: " + file + " is too large");
                found.put(file, tar.readAllBytes());
            }
        }
        return found;
    }
}
