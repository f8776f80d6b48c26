package dev.inlay.policy;

import java.util.Locale;

/** What happens to an operation. Declared in order of severity: when several rules match, the most severe wins. */
public enum Action {
    ALLOW,
    ALERT,
    DENY,
    KILL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean blocks() {
        return this == DENY || this == KILL;
    }

    public static Action fromWire(String s) {
        for (Action a : values()) {
            if (a.wireName().equals(s)) return a;
        }
        return null;
    }
}
