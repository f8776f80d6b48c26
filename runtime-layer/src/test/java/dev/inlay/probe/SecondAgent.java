package dev.inlay.probe;

import java.lang.instrument.Instrumentation;

/**
 * A second Java agent loaded after inlay, as an attacker who can add one to the command line (or self-attach) gets:
 * it keeps its Instrumentation where the application ({@link Bypass}) finds it.
 */
public final class SecondAgent {
    public static volatile Instrumentation instrumentation;

    private SecondAgent() {}

    public static void premain(String args, Instrumentation inst) {
        instrumentation = inst;
    }
}
