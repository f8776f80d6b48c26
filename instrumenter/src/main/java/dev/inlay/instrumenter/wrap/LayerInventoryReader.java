package dev.inlay.instrumenter.wrap;

import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Layer;
import dev.inlay.instrumenter.image.LayerStreams;
import dev.inlay.instrumenter.image.MalformedImageException;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.scanner.inventory.ImageInventory;
import dev.inlay.scanner.inventory.LayerScanner;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;

/**
 * The inventory of an image for {@code inlay sbom}: each layer's from the cache, or streamed once (whiteouts as
 * {@link ImageFilesystem} applies them, content verified against the diff_id before it is cached). A cached layer's
 * blob is never opened.
 */
public final class LayerInventoryReader {
    /** What a run read: layers from the cache, layers streamed, and the (compressed) bytes streamed. */
    public record Stats(int layers, int cachedLayers, long bytesRead) {}

    private LayerInventoryReader() {}

    public record Result(ImageInventory inventory, Stats stats) {}

    public static Result read(List<Layer> layers, InventoryPass pass, Progress progress) throws IOException {
        long[] bytes = {0};
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (pass.cached(layer) != null) continue;
            Progress.Task task = progress.start("inventory of layer " + (i + 1) + "/" + layers.size(), layer.size());
            LayerScanner scanner = new LayerScanner();
            scan(
                    new Layer(
                            layer.descriptor(),
                            layer.diffId(),
                            () -> counting(task.counting(layer.content().open()), bytes)),
                    i,
                    scanner);
            pass.scanned(layer, scanner);
        }
        return new Result(pass.inventory(), new Stats(layers.size(), pass.cachedLayers(), bytes[0]));
    }

    private static void scan(Layer layer, int index, LayerScanner scanner) throws IOException {
        String what = "layer " + index + " (" + layer.digest() + ")";
        MessageDigest layerDigest = Digests.sha256();
        try (InputStream raw = LayerStreams.uncompressed(layer.content(), what);
                InputStream hashed = new DigestInputStream(raw, layerDigest);
                TarArchiveInputStream tar = new TarArchiveInputStream(hashed)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String path = ImageFilesystem.normalize(e.getName(), what);
                if (path == null) continue;
                String name = path.substring(path.lastIndexOf('/') + 1);
                String dir = path.substring(0, path.lastIndexOf('/'));
                if (name.equals(".wh..wh..opq")) {
                    scanner.opaque(dir.isEmpty() ? "/" : dir);
                } else if (name.startsWith(".wh.")) {
                    scanner.whiteout(dir + "/" + name.substring(4));
                } else if (LayerScanner.wants(path)) {
                    if (e.isSymbolicLink() || e.isLink() || !e.isFile()) scanner.replaced(path);
                    else scanner.file(path, e.getSize(), tar);
                }
            }
            hashed.transferTo(OutputStream.nullOutputStream());
        } catch (MalformedImageException | dev.inlay.instrumenter.image.BlobReadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MalformedImageException(what + " is not a readable tar: " + e.getMessage(), e);
        }
        String actual = Digests.format(layerDigest.digest());
        if (!actual.equals(layer.diffId())) {
            throw new MalformedImageException(
                    what + " does not match its diff_id " + layer.diffId() + " (content hashes to " + actual + ")");
        }
    }

    private static InputStream counting(InputStream in, long[] bytes) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) bytes[0]++;
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) bytes[0] += n;
                return n;
            }
        };
    }
}
