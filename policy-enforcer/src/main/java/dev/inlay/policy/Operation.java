package dev.inlay.policy;

import java.util.Locale;

/** An operation on a resource. Which operations apply to which category is fixed by {@link Category}. */
public enum Operation {
    READ,
    WRITE,
    CREATE,
    DELETE,
    LIST,
    EXEC,
    CONNECT,
    LISTEN,
    ACCEPT,
    RESOLVE,
    LOAD,
    LOOKUP,
    DESERIALIZE,
    DEFINE,
    /** Capabilities: obtaining {@code sun.misc.Unsafe} or {@code jdk.internal.misc.Unsafe}. */
    UNSAFE,
    /** Capabilities: {@code setAccessible} or a private lookup into the JDK's own non-exported internals. */
    REFLECT,
    /** Capabilities: another agent's {@code Instrumentation} retransforming, redefining or opening classes. */
    INSTRUMENT,
    /** Capabilities: attaching to a JVM (this one or another) through {@code com.sun.tools.attach}. */
    ATTACH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int bit() {
        return 1 << ordinal();
    }

    public static Operation fromWire(String s) {
        for (Operation o : values()) {
            if (o.wireName().equals(s)) return o;
        }
        return null;
    }
}
