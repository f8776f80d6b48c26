package dev.inlay.probe;

import java.lang.instrument.Instrumentation;

/** Another Java agent in the same JVM, loaded before inlay: it does nothing, but inlay cannot know that. */
public final class NoopAgent {
    private NoopAgent() {}

    public static void premain(String args, Instrumentation inst) {}
}
