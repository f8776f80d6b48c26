package dev.inlay.scanner.vuln;

import org.apache.maven.artifact.versioning.ComparableVersion;

/** Maven's own ordering: {@code org.apache.maven.artifact.versioning.ComparableVersion} from maven-artifact. */
final class MavenVersionOrder {
    private MavenVersionOrder() {}

    static int compareVersions(String a, String b) {
        if (a.isBlank() || b.isBlank()) throw new IllegalArgumentException("an empty Maven version");
        return Integer.signum(new ComparableVersion(a).compareTo(new ComparableVersion(b)));
    }
}
