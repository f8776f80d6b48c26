package dev.inlay.scanner.sbom;

import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.util.LicenseResolver;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Licence strings as found (a pom's licence name or URL, a manifest's Bundle-License, a DEP-5 short name) to SPDX
 * ids where they map, else kept as a name. The CycloneDX library's resolver knows SPDX ids, names and URLs; Debian's
 * DEP-5 short names (GPL-2+, Expat, ...) are mapped here first.
 */
final class Licences {
    private static final Map<String, String> DEP5 = Map.ofEntries(
            Map.entry("gpl-1", "GPL-1.0-only"),
            Map.entry("gpl-1+", "GPL-1.0-or-later"),
            Map.entry("gpl-2", "GPL-2.0-only"),
            Map.entry("gpl-2+", "GPL-2.0-or-later"),
            Map.entry("gpl-3", "GPL-3.0-only"),
            Map.entry("gpl-3+", "GPL-3.0-or-later"),
            Map.entry("lgpl-2", "LGPL-2.0-only"),
            Map.entry("lgpl-2+", "LGPL-2.0-or-later"),
            Map.entry("lgpl-2.1", "LGPL-2.1-only"),
            Map.entry("lgpl-2.1+", "LGPL-2.1-or-later"),
            Map.entry("lgpl-3", "LGPL-3.0-only"),
            Map.entry("lgpl-3+", "LGPL-3.0-or-later"),
            Map.entry("agpl-3", "AGPL-3.0-only"),
            Map.entry("agpl-3+", "AGPL-3.0-or-later"),
            Map.entry("expat", "MIT"),
            Map.entry("bsd-2-clause", "BSD-2-Clause"),
            Map.entry("bsd-3-clause", "BSD-3-Clause"),
            Map.entry("bsd-4-clause", "BSD-4-Clause"),
            Map.entry("apache-2.0", "Apache-2.0"),
            Map.entry("mpl-2.0", "MPL-2.0"),
            Map.entry("artistic", "Artistic-1.0-Perl"),
            Map.entry("zlib", "Zlib"),
            Map.entry("isc", "ISC"),
            Map.entry("gfdl-1.2+", "GFDL-1.2-or-later"),
            Map.entry("gfdl-1.3+", "GFDL-1.3-or-later"));
    private static final Map<String, License> RESOLVED = new ConcurrentHashMap<>();

    private Licences() {}

    /** The licence choice of one component; null when no evidence states a licence. */
    static LicenseChoice choice(List<String> found) {
        if (found.isEmpty()) return null;
        LicenseChoice choice = new LicenseChoice();
        if (found.size() == 1 && isExpression(found.get(0))) {
            choice.setExpression(
                    new org.cyclonedx.model.license.Expression(found.get(0).trim()));
            return choice;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String s : found) {
            License l = resolve(s);
            String key = l.getId() != null ? "id:" + l.getId() : "name:" + l.getName();
            if (seen.add(key)) choice.addLicense(copy(l));
        }
        return choice;
    }

    private static boolean isExpression(String s) {
        return s.contains(" WITH ") || s.contains(" OR ") || s.contains(" AND ");
    }

    static License resolve(String raw) {
        return RESOLVED.computeIfAbsent(raw.trim(), s -> {
            License l = new License();
            String dep5 = DEP5.get(s.toLowerCase(Locale.ROOT));
            if (dep5 != null) {
                l.setId(dep5);
                return l;
            }
            try {
                LicenseChoice c = LicenseResolver.resolve(s, false);
                if (c != null
                        && c.getLicenses() != null
                        && !c.getLicenses().isEmpty()
                        && c.getLicenses().get(0).getId() != null) {
                    l.setId(c.getLicenses().get(0).getId());
                    return l;
                }
            } catch (RuntimeException e) {
                // not resolvable: kept as a name below
            }
            if (s.startsWith("http://") || s.startsWith("https://")) {
                l.setName(s);
                l.setUrl(s);
            } else {
                l.setName(s);
            }
            return l;
        });
    }

    private static License copy(License l) {
        License c = new License();
        c.setId(l.getId());
        c.setName(l.getName());
        c.setUrl(l.getUrl());
        return c;
    }
}
