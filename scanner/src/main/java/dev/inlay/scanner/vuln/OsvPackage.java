package dev.inlay.scanner.vuln;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Property;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where an SBOM component is looked up in OSV: ecosystem, package name and the version to compare.
 * <ul>
 *   <li>{@code pkg:maven/GROUP/ARTIFACT@V}: {@code Maven}, {@code GROUP:ARTIFACT}.</li>
 *   <li>{@code pkg:deb/debian/NAME@V?distro=debian-12}: {@code Debian:12} and the <em>source</em> package, as
 *   Debian's advisories name it: the {@code inlay:source}/{@code inlay:sourceVersion} properties the inventory
 *   writes from the dpkg status, else the purl's {@code upstream} qualifier ({@code NAME} or {@code NAME@VERSION}),
 *   else the binary package. The release comes from the {@code distro} qualifier ({@code debian-12},
 *   {@code debian-12.8} or a codename such as {@code bookworm}), else from the SBOM's operating-system component.</li>
 *   <li>{@code pkg:apk/alpine/NAME@V?distro=alpine-3.19.1}: {@code Alpine:v3.19} and the origin package
 *   ({@code inlay:origin} or {@code upstream}).</li>
 * </ul>
 * Anything else (no purl, another type, a Debian package without a release) is not looked up, and the scan says so.
 */
public record OsvPackage(String ecosystem, String name, String version) {
    private static final Map<String, String> DEBIAN_CODENAMES =
            Map.of("stretch", "9", "buster", "10", "bullseye", "11", "bookworm", "12", "trixie", "13", "forky", "14");

    /** The package, or a reason (prefixed "!") why the component cannot be looked up. */
    static Object of(Component c, Bom bom) {
        String purl = c.getPurl();
        if (purl == null || purl.isBlank()) return "!no package URL";
        PackageURL p;
        try {
            p = new PackageURL(purl);
        } catch (MalformedPackageURLException e) {
            return "!malformed package URL " + purl + " (" + e.getMessage() + ")";
        }
        if (p.getVersion() == null || p.getVersion().isBlank()) return "!no version in " + purl;
        Map<String, String> q = p.getQualifiers() == null ? Map.of() : p.getQualifiers();
        switch (p.getType()) {
            case "maven" -> {
                if (p.getNamespace() == null) return "!no Maven group in " + purl;
                return new OsvPackage("Maven", p.getNamespace() + ":" + p.getName(), p.getVersion());
            }
            case "deb" -> {
                if (p.getNamespace() != null && !p.getNamespace().equalsIgnoreCase("debian")) {
                    return "!no advisories looked up for deb/" + p.getNamespace() + " (only Debian's)";
                }
                String release = release(q.get("distro"), "debian", bom);
                if (release == null)
                    return "!no Debian release in " + purl
                            + " (a distro qualifier) or in the SBOM's operating-system component";
                String[] source = source(c, q, p, "source", "sourceVersion");
                return new OsvPackage("Debian:" + release, source[0], source[1]);
            }
            case "apk" -> {
                String release = release(q.get("distro"), "alpine", bom);
                if (release == null) return "!no Alpine release in " + purl;
                String[] v = release.split("\\.");
                if (v.length < 2) return "!no Alpine minor release in " + purl;
                String[] origin = source(c, q, p, "origin", null);
                return new OsvPackage("Alpine:v" + v[0] + "." + v[1], origin[0], origin[1]);
            }
            default -> {
                return "!no advisories looked up for pkg:" + p.getType();
            }
        }
    }

    private static String[] source(
            Component c, Map<String, String> q, PackageURL p, String nameProperty, String versionProperty) {
        String name = property(c, "inlay:" + nameProperty);
        String version = versionProperty == null ? null : property(c, "inlay:" + versionProperty);
        String upstream = q.get("upstream");
        if (name == null && upstream != null) {
            int at = upstream.indexOf('@');
            name = at < 0 ? upstream : upstream.substring(0, at);
            if (at >= 0 && version == null) version = upstream.substring(at + 1);
        }
        return new String[] {name == null ? p.getName() : name, version == null ? p.getVersion() : version};
    }

    private static String property(Component c, String name) {
        List<Property> props = c.getProperties();
        if (props == null) return null;
        for (Property p : props)
            if (name.equals(p.getName())
                    && p.getValue() != null
                    && !p.getValue().isBlank()) return p.getValue();
        return null;
    }

    /** {@code debian-12.8} -> {@code 12}; {@code bookworm} -> {@code 12}; {@code alpine-3.19.1} -> {@code 3.19.1}. */
    private static String release(String distro, String os, Bom bom) {
        String d = distro;
        if (d == null) d = osComponentVersion(bom, os);
        if (d == null || d.isBlank()) return null;
        d = d.toLowerCase(Locale.ROOT);
        if (d.startsWith(os + "-")) d = d.substring(os.length() + 1);
        if (DEBIAN_CODENAMES.containsKey(d)) return DEBIAN_CODENAMES.get(d);
        if (d.isEmpty() || !Character.isDigit(d.charAt(0))) return null;
        if (os.equals("debian")) {
            int dot = d.indexOf('.');
            return dot < 0 ? d : d.substring(0, dot);
        }
        return d;
    }

    private static String osComponentVersion(Bom bom, String os) {
        if (bom == null || bom.getComponents() == null) return null;
        for (Component c : bom.getComponents()) {
            if (c.getType() == Component.Type.OPERATING_SYSTEM
                    && c.getName() != null
                    && c.getName().equalsIgnoreCase(os)) {
                return c.getVersion();
            }
        }
        return null;
    }
}
