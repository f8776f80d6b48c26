package dev.inlay.instrumenter.image;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.io.input.BoundedInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Opens a layer blob as its uncompressed tar stream, whatever the compression (detected from the magic bytes, not
 * trusted from the media type), guarded against decompression bombs.
 */
public final class LayerStreams {
    /** Real layers compress 2-10x; a much higher ratio over a sizeable output is a bomb. */
    public static final long MAX_RATIO = Long.getLong("inlay.maxExpansionRatio", 100);
    /** Below this many output bytes the ratio is not checked (tiny layers of empty files compress very well). */
    public static final long RATIO_FREE_BYTES = 64L << 20;
    /** No single layer may expand beyond this. */
    public static final long MAX_EXPANDED_BYTES = Long.getLong("inlay.maxLayerBytes", 32L << 30);

    private LayerStreams() {}

    public static InputStream uncompressed(BlobSource blob, String what) throws IOException {
        CountingStream compressed = new CountingStream(new BufferedInputStream(blob.open(), 1 << 16));
        compressed.mark(4);
        byte[] magic = compressed.readNBytes(4);
        compressed.reset();
        InputStream raw;
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            raw = GzipCompressorInputStream.builder()
                    .setInputStream(compressed)
                    .setDecompressConcatenated(true)
                    .get();
        } else if (magic.length == 4
                && (magic[0] & 0xff) == 0x28
                && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            raw = new ZstdCompressorInputStream(compressed);
        } else {
            return compressed;
        }
        return new BombGuard(raw, compressed, what);
    }

    /** Counts the bytes read through it. */
    static final class CountingStream extends FilterInputStream {
        long count;
        private long mark;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }

        @Override
        public synchronized void mark(int readlimit) {
            super.mark(readlimit);
            mark = count;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            count = mark;
        }
    }

    private static final class BombGuard extends FilterInputStream {
        private final CountingStream compressed;
        private final String what;
        private long expanded;

        BombGuard(InputStream in, CountingStream compressed, String what) {
            super(in);
            this.compressed = compressed;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) check(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) check(n);
            return n;
        }

        private void check(long n) {
            expanded += n;
            if (expanded > MAX_EXPANDED_BYTES
                    || (expanded > RATIO_FREE_BYTES && expanded > MAX_RATIO * Math.max(1, compressed.count))) {
                throw new MalformedImageException(what + " looks like a decompression bomb: " + compressed.count
                        + " compressed bytes expanded to more than " + expanded + " (limits: ratio " + MAX_RATIO
                        + ", " + MAX_EXPANDED_BYTES + " bytes)");
            }
        }
    }

    /** Reads at most {@code max} bytes of a small JSON document and fails beyond that. */
    public static byte[] readSmall(InputStream in, long max, String what) throws IOException {
        try (InputStream bounded = BoundedInputStream.builder()
                .setInputStream(in)
                .setMaxCount(max + 1)
                .get()) {
            byte[] bytes = bounded.readAllBytes();
            if (bytes.length > max) throw new MalformedImageException(what + " is larger than " + max + " bytes");
            return bytes;
        }
    }
}
