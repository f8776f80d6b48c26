package dev.inlay.instrumenter.transport;

import java.io.PrintStream;

/** Progress of long pulls and pushes on a terminal: one rewritten line on stderr, at most a few times a second. */
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

    Task start(String what, long total) {
        return new Task(what, total);
    }

    final class Task {
        private final String what;
        private final long total;
        private long done;
        private long lastPrint;

        private Task(String what, long total) {
            this.what = what;
            this.total = total;
        }

        synchronized void advance(long n) {
            done += n;
            if (out == null) return;
            long now = System.nanoTime();
            if (now - lastPrint > INTERVAL_NANOS) {
                lastPrint = now;
                out.printf("\r%s %s / %s   ", what, human(done), total > 0 ? human(total) : "?");
                out.flush();
            }
        }

        synchronized void done() {
            if (out == null || lastPrint == 0) return;
            out.printf("\r%s %s done%n", what, human(done));
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1 << 20) return String.format("%.1f KiB", bytes / 1024.0);
        if (bytes < 1 << 30) return String.format("%.1f MiB", bytes / (1024.0 * 1024));
        return String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
