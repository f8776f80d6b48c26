package dev.inlay.scanner.vuln;

/** OSV ecosystem names: {@code Debian:12} is the ecosystem {@code Debian}, release {@code 12}. */
public final class Ecosystems {
    private Ecosystems() {}

    /** The ecosystem without its release: {@code Debian:12} -> {@code Debian}. */
    public static String base(String ecosystem) {
        int colon = ecosystem.indexOf(':');
        return colon < 0 ? ecosystem : ecosystem.substring(0, colon);
    }
}
