package dev.inlay.scanner.vuln;

import java.util.List;

/**
 * One vulnerability of one component: the advisories that describe it merged by their aliases (a GHSA and its CVE
 * are one finding), {@code ids} with the preferred one (a CVE when there is one) first.
 *
 * @param component the SBOM component ({@code bomRef}, name, version, purl)
 * @param ecosystem the OSV ecosystem it was looked up in, {@code name} and {@code version} what was compared
 * @param ids the merged records' ids and aliases, preferred first
 * @param related ids the records point to without being aliases (Debian's {@code upstream} CVEs)
 * @param fixed the versions the matching ranges name as fixed, in the ecosystem's order where it has one
 */
public record Finding(
        ScannedComponent component,
        String ecosystem,
        String name,
        String version,
        List<String> ids,
        List<String> related,
        String summary,
        Rating rating,
        List<String> fixed,
        List<String> references) {
    public String id() {
        return ids.get(0);
    }

    public Severity severity() {
        return rating.severity();
    }

    /** Whether this finding goes by {@code id}: one of its ids, aliases or related ids. */
    public boolean knownAs(String id) {
        return ids.contains(id) || related.contains(id);
    }
}
