package dev.inlay.scanner.vuln;

import java.util.List;

/** An SBOM component as the scan reports it; {@code licences} are SPDX ids, names or expressions as the SBOM has them. */
public record ScannedComponent(String bomRef, String name, String version, String purl, List<String> licences) {
    public String label() {
        return name + (version == null ? "" : " " + version);
    }
}
