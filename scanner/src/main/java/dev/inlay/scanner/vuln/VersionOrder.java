package dev.inlay.scanner.vuln;

/**
 * How one ecosystem orders its versions. {@link #compare} throws {@link IllegalArgumentException} for a string that is
 * no version of that ecosystem, so that a range is never decided on a guess.
 */
public interface VersionOrder {
    int compare(String a, String b);

    /** The orders OSV's range types and ecosystems need. */
    VersionOrder MAVEN = MavenVersionOrder::compareVersions;

    VersionOrder DPKG = DpkgVersionOrder::compareVersions;
    VersionOrder APK = ApkVersionOrder::compareVersions;
    VersionOrder SEMVER = SemverOrder::compareVersions;

    /**
     * The order of an OSV ecosystem ({@code Maven}, {@code Debian:12}, {@code Alpine:v3.19}, ...), or null for one
     * inlay has no ordering for (its records still match by their explicit {@code versions} lists).
     */
    static VersionOrder forEcosystem(String ecosystem) {
        String base = Ecosystems.base(ecosystem);
        return switch (base) {
            case "Maven" -> MAVEN;
            case "Debian", "Ubuntu" -> DPKG;
            case "Alpine" -> APK;
            case "npm", "Go", "crates.io", "Hex", "Pub", "SwiftURL" -> SEMVER;
            default -> null;
        };
    }
}
