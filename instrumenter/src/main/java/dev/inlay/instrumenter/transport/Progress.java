package dev.inlay.instrumenter.transport;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * Progress of every long step (registry pulls and pushes, layer scans, local copies, hashing) on a terminal: one
 * rewritten line on stderr, at most a few times a second. Anywhere else (a pipe, a CI log, a file) nothing at all.
 */
public final class Progress {
    private static final long INTERVAL_NANOS = 250_000_000L;
    public static final Progress SILENT = new Progress(null);

    private final PrintStream out;

    private Progress(PrintStream out) {
        this.out = out;
    }

    /** Shows progress only when stderr is a terminal and not asked to be quiet. */
    public static Progress forTerminal(boolean quiet) {
        return quiet || System.console() == null ? SILENT : new Progress(System.err);
    }

    /** Progress lines to this stream, whatever it is: what {@link #forTerminal} gives on a terminal. */
    public static Progress to(PrintStream out) {
        return new Progress(out);
    }

    public Task start(String what, long total) {
        return new Task(what, total);
    }

    public final class Task {
        private final String what;
        private final long total;
        private long done;
        private long lastPrint;
        private boolean printed;

        private Task(String what, long total) {
            this.what = what;
            this.total = total;
        }

        public synchronized void advance(long n) {
            done += n;
            if (out == null) return;
            long now = System.nanoTime();
            if (!printed || now - lastPrint > INTERVAL_NANOS) {
                printed = true;
                lastPrint = now;
                out.printf("\r%s %s / %s   ", what, human(done), total > 0 ? human(total) : "?");
                out.flush();
            }
        }

        public synchronized void done() {
            if (out == null || !printed) return;
            out.printf("\r%s %s done%n", what, human(done));
            out.flush();
        }

        /** The stream, advancing this task by what is read from it and done when it is closed. */
        public InputStream counting(InputStream in) {
            if (out == null) return in;
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) advance(1);
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) advance(n);
                    return n;
                }

                @Override
                public void close() throws IOException {
                    super.close();
                    done();
                }
            };
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1 << 20) return String.format("%.1f KiB", bytes / 1024.0);
        if (bytes < 1 << 30) return String.format("%.1f MiB", bytes / (1024.0 * 1024));
        return String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
