package dev.inlay.policy;

import java.util.Locale;

/** How the runtime layer treats decisions: record only, report only, or block. */
public enum Mode {
    LEARN,
    MONITOR,
    ENFORCE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode fromWire(String s) {
        for (Mode m : values()) {
            if (m.wireName().equals(s)) return m;
        }
        return null;
    }
}
