package dev.inlay.runtime;

/**
 * Whether the application is still starting (docs/EVENTS.md, "Start-up denials"): from the agent's start until
 * {@code startupWindow} milliseconds have passed or the application accepts its first connection, whichever comes
 * first. A clock and a flag, asked only on the path of a decision that is not a silent allow: nothing on the start path
 * or the allowed path, the same on every JDK.
 *
 * <p>With {@code startup=monitor} ({@code INLAY_STARTUP=monitor}) a denial in this phase is reported but not enforced.
 */
final class StartupPhase {
    static final long DEFAULT_WINDOW_MILLIS = 60_000;

    private final long endNanos;
    private final boolean monitor;
    private final long windowMillis;
    private volatile boolean over;

    StartupPhase(long startedNanos, long windowMillis, boolean monitor) {
        this.windowMillis = Math.max(0, windowMillis);
        this.endNanos = startedNanos + this.windowMillis * 1_000_000L;
        this.monitor = monitor;
        this.over = this.windowMillis == 0;
    }

    /** Reads {@code startup} (enforce, the default, or monitor) and {@code startupWindow}; a bad value is an error. */
    static StartupPhase of(AgentConfig config, long startedNanos) throws IllegalArgumentException {
        String mode = config.get(dev.inlay.model.AgentSettings.STARTUP, "enforce");
        if (!mode.equals("enforce") && !mode.equals("monitor")) {
            throw new IllegalArgumentException("startup=" + mode + " (INLAY_STARTUP): enforce or monitor");
        }
        return new StartupPhase(
                startedNanos,
                config.number(dev.inlay.model.AgentSettings.STARTUP_WINDOW, DEFAULT_WINDOW_MILLIS),
                mode.equals("monitor"));
    }

    /** True while the application is starting. */
    boolean active() {
        if (over) return false;
        if (System.nanoTime() - endNanos >= 0) {
            over = true;
            return false;
        }
        return true;
    }

    /** The application accepted a connection: it serves, start-up is over. */
    void serving() {
        if (!over) over = true;
    }

    /** Whether a start-up denial is reported without being enforced (INLAY_STARTUP=monitor). */
    boolean monitor() {
        return monitor;
    }

    long windowMillis() {
        return windowMillis;
    }
}
