package dev.inlay.instrumenter.transport;

import java.util.concurrent.atomic.AtomicLong;

/** Counts what a write moved, so that "registry to the same registry moves no base-layer bytes" can be shown. */
public final class TransferStats {
    private final AtomicLong bytesDownloaded = new AtomicLong();
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final AtomicLong blobsCopied = new AtomicLong();
    private final AtomicLong blobsSkipped = new AtomicLong();
    private final AtomicLong blobsMounted = new AtomicLong();
    private final AtomicLong bytesSkipped = new AtomicLong();
    private final Progress progress;

    public TransferStats() {
        this(Progress.SILENT);
    }

    TransferStats(Progress progress) {
        this.progress = progress;
    }

    /** Where local copies and hashing report their progress (a terminal, or nowhere). */
    Progress progress() {
        return progress;
    }

    void downloaded(long n) {
        bytesDownloaded.addAndGet(n);
    }

    void uploaded(long n) {
        bytesUploaded.addAndGet(n);
    }

    void copied(long n) {
        blobsCopied.incrementAndGet();
        bytesUploaded.addAndGet(n);
    }

    void skipped(long n) {
        blobsSkipped.incrementAndGet();
        bytesSkipped.addAndGet(n);
    }

    void linked(long n) {
        blobsMounted.incrementAndGet();
        bytesSkipped.addAndGet(n);
    }

    void mounted(long n) {
        blobsMounted.incrementAndGet();
        bytesSkipped.addAndGet(n);
    }

    public long bytesDownloaded() {
        return bytesDownloaded.get();
    }

    public long bytesWritten() {
        return bytesUploaded.get();
    }

    public long blobsCopied() {
        return blobsCopied.get();
    }

    public long blobsSkipped() {
        return blobsSkipped.get();
    }

    public long blobsMounted() {
        return blobsMounted.get();
    }

    @Override
    public String toString() {
        return "blobs written " + blobsCopied + " (" + bytesUploaded + " bytes), already present " + blobsSkipped
                + ", mounted or hard-linked " + blobsMounted + " (" + bytesSkipped + " bytes not moved), downloaded "
                + bytesDownloaded + " bytes";
    }
}
