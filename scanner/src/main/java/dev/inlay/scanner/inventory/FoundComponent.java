package dev.inlay.scanner.inventory;

import java.util.List;
import java.util.Map;

/**
 * One component found in a layer, as raw facts: what kind, its coordinates, which evidence identified it and how
 * confident that identification is, where it is and what it carries nested inside (shaded or bundled jars). Package
 * URLs are built later, when the whole image is known (a Debian purl needs the distribution from os-release).
 * Serializable with Jackson: it is what the per-layer cache stores.
 *
 * @param kind       what sort of component
 * @param group      Maven groupId, or null when no evidence names one
 * @param name       artifactId, package name, or "openjdk"
 * @param version    as the evidence states it, or null
 * @param licences   licence names, ids or URLs as the evidence states them (mapped to SPDX ids in the SBOM)
 * @param evidence   which source identified it (see {@link Evidence})
 * @param evidenceSource the file that source is, e.g. {@code /app/a.jar!/META-INF/maven/g/a/pom.properties}
 * @param confidence 0..1, from the kind of evidence
 * @param location   where the component is in the image; {@code !/} separates a path inside an archive
 * @param attributes kind-specific details (Debian arch and source package, JDK implementor, ...)
 * @param nested     components inside this one
 */
public record FoundComponent(
        Kind kind,
        String group,
        String name,
        String version,
        List<String> licences,
        Evidence evidence,
        String evidenceSource,
        double confidence,
        String location,
        Map<String, String> attributes,
        List<FoundComponent> nested) {
    public enum Kind {
        MAVEN,
        JDK,
        DEB,
        APK,
        OPERATING_SYSTEM,
        ARCHIVE
    }

    /** The sources that identify a component, most reliable first; the confidence each gives is fixed here. */
    public enum Evidence {
        /** {@code META-INF/maven/G/A/pom.properties}: written by Maven at build time. */
        POM_PROPERTIES(1.0),
        /** A package manager's database (dpkg status, apk installed). */
        PACKAGE_DATABASE(1.0),
        /** The JDK's {@code release} file. */
        RELEASE_FILE(1.0),
        /** {@code /etc/os-release}. */
        OS_RELEASE(1.0),
        /** {@code META-INF/MANIFEST.MF} with a vendor id, so a group: Implementation-Vendor-Id and -Version. */
        MANIFEST_WITH_GROUP(0.7),
        /** {@code META-INF/MANIFEST.MF} without a group: Implementation-/Bundle- attributes give name and version. */
        MANIFEST(0.5),
        /** Only the file name, {@code name-version.jar}. */
        FILE_NAME(0.3),
        /** Nothing identifies it: an archive listed so that nothing is lost silently. */
        NONE(0.0);

        public final double confidence;

        Evidence(double confidence) {
            this.confidence = confidence;
        }
    }

    public FoundComponent {
        licences = licences == null ? List.of() : List.copyOf(licences);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        nested = nested == null ? List.of() : List.copyOf(nested);
    }
}
