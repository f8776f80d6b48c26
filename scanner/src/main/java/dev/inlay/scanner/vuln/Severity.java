package dev.inlay.scanner.vuln;

import java.util.Locale;

/** A finding's severity, from a CVSS base score (the CVSS v3 bands) or a database's own word for it. */
public enum Severity {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW,
    NONE,
    UNKNOWN;

    /** CVSS v3.x qualitative rating: 9.0 critical, 7.0 high, 4.0 medium, 0.1 low, 0 none. */
    public static Severity ofScore(double score) {
        if (score >= 9.0) return CRITICAL;
        if (score >= 7.0) return HIGH;
        if (score >= 4.0) return MEDIUM;
        if (score > 0.0) return LOW;
        return NONE;
    }

    /** A database's word (GitHub's {@code MODERATE}, Ubuntu's and Alpine's {@code negligible} ...), or UNKNOWN. */
    public static Severity ofName(String name) {
        if (name == null) return UNKNOWN;
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "critical" -> CRITICAL;
            case "high", "important" -> HIGH;
            case "medium", "moderate" -> MEDIUM;
            case "low", "negligible", "unimportant", "minor" -> LOW;
            case "none" -> NONE;
            default -> UNKNOWN;
        };
    }

    /** As {@code --fail-on} spells it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this severity reaches {@code threshold}; UNKNOWN and NONE reach no threshold. */
    public boolean atLeast(Severity threshold) {
        if (this == UNKNOWN || this == NONE) return false;
        return ordinal() <= threshold.ordinal();
    }
}
