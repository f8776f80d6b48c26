package dev.inlay.scanner.vuln;

import java.util.List;

/**
 * What a scan found: {@code findings} ordered by severity, then component, then id; {@code components} every
 * component of the SBOM; {@code notLookedUp} the components that could not be matched and why (no purl, an ecosystem
 * without advisories, no distro release); {@code problems} what could not be decided (a version an ecosystem's
 * ordering refuses), never silently dropped.
 */
public record ScanResult(
        List<Finding> findings,
        List<ScannedComponent> components,
        List<String> notLookedUp,
        List<String> problems,
        int advisories) {}
