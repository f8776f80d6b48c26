package dev.inlay.scanner.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.inlay.scanner.inventory.FoundComponent;
import dev.inlay.scanner.inventory.FoundComponent.Evidence;
import dev.inlay.scanner.inventory.FoundComponent.Kind;
import dev.inlay.scanner.inventory.ImageInventory;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.json.BomJsonGenerator;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.OrganizationalEntity;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.component.evidence.Identity;
import org.cyclonedx.model.component.evidence.Method;
import org.cyclonedx.model.component.evidence.Occurrence;
import org.cyclonedx.model.metadata.ToolInformation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The CycloneDX 1.6 BOM of an image's inventory, the contract with advisory matching: every component has a purl
 * where its ecosystem has one, its version, licences (SPDX ids where they map), {@code evidence.identity} (which
 * source identified it, with what confidence) and {@code evidence.occurrences} (where it is), and the properties
 * {@code inlay:evidence}, {@code inlay:confidence}, {@code inlay:location}, {@code inlay:layer}. Components inside an
 * archive (shaded or bundled jars) are nested in its {@code components}: walk them with {@link #walk}.
 * Deterministic: the same layers give the same bytes (sorted, no timestamp, a serial number derived from the image's
 * digest).
 */
public final class SbomWriter {
    public static final Version SPEC = Version.VERSION_16;
    public static final String PROPERTY_EVIDENCE = "inlay:evidence";
    public static final String PROPERTY_CONFIDENCE = "inlay:confidence";
    public static final String PROPERTY_LOCATION = "inlay:location";
    public static final String PROPERTY_LAYER = "inlay:layer";

    private SbomWriter() {}

    /**
     * @param imageDigest  the image's manifest digest: the BOM's subject and the seed of its serial number
     * @param inlayVersion the tool that wrote it
     */
    public static Bom bom(ImageInventory inventory, String imageDigest, String inlayVersion) {
        Bom bom = new Bom();
        bom.setSerialNumber(
                "urn:uuid:" + UUID.nameUUIDFromBytes(("inlay sbom " + imageDigest).getBytes(StandardCharsets.UTF_8)));
        bom.setVersion(1);
        Metadata metadata = new Metadata();
        metadata.setTimestamp(null); // the library stamps the current time; the same image must give the same bytes
        Component image = new Component();
        image.setType(Component.Type.CONTAINER);
        image.setName(imageDigest);
        image.setBomRef(imageDigest);
        metadata.setComponent(image);
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName("inlay");
        tool.setVersion(inlayVersion);
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        metadata.setToolChoice(tools);
        bom.setMetadata(metadata);

        Map<String, String> os = inventory.osRelease();
        Set<String> refs = new HashSet<>();
        List<Component> components = new ArrayList<>();
        if (os.get("ID") != null) {
            Component c = new Component();
            c.setType(Component.Type.OPERATING_SYSTEM);
            c.setName(os.get("ID"));
            if (os.get("VERSION_ID") != null) c.setVersion(os.get("VERSION_ID"));
            if (os.get("PRETTY_NAME") != null) c.setDescription(os.get("PRETTY_NAME"));
            c.setBomRef(unique(refs, "os:" + os.get("ID")));
            c.addProperty(property(PROPERTY_EVIDENCE, evidenceName(Evidence.OS_RELEASE)));
            c.addProperty(property(PROPERTY_LAYER, inventory.osReleaseLayer()));
            components.add(c);
        }
        for (ImageInventory.Found f : inventory.components())
            components.add(component(f.component(), f.layer(), os, refs));
        bom.setComponents(components);
        return bom;
    }

    /** The BOM as CycloneDX 1.6 JSON. */
    public static byte[] json(Bom bom) {
        try {
            return new BomJsonGenerator(bom, SPEC).toJsonString().getBytes(StandardCharsets.UTF_8);
        } catch (GeneratorException e) {
            throw new IllegalStateException("CycloneDX generator failed: " + e.getMessage(), e);
        }
    }

    /** Every component of the BOM, nested ones included, parents before children. */
    public static List<Component> walk(Bom bom) {
        List<Component> out = new ArrayList<>();
        if (bom.getComponents() != null) for (Component c : bom.getComponents()) walk(c, out);
        return out;
    }

    private static void walk(Component c, List<Component> out) {
        out.add(c);
        if (c.getComponents() != null) for (Component n : c.getComponents()) walk(n, out);
    }

    private static Component component(FoundComponent f, String layer, Map<String, String> os, Set<String> refs) {
        Component c = new Component();
        c.setType(
                switch (f.kind()) {
                    case MAVEN, DEB, APK -> Component.Type.LIBRARY;
                    case JDK -> Component.Type.PLATFORM;
                    case OPERATING_SYSTEM -> Component.Type.OPERATING_SYSTEM;
                    case ARCHIVE -> Component.Type.FILE;
                });
        if (f.group() != null) c.setGroup(f.group());
        c.setName(f.name());
        if (f.version() != null) c.setVersion(f.version());
        PackageURL purl = purl(f, os);
        if (purl != null) c.setPurl(purl.canonicalize());
        if (f.kind() == Kind.JDK) {
            // NVD and Oracle's Critical Patch Updates name every vendor's build of OpenJDK by this CPE.
            c.setCpe("cpe:2.3:a:oracle:openjdk:" + f.version() + ":*:*:*:*:*:*:*");
            String implementor = f.attributes().get("IMPLEMENTOR");
            if (implementor != null) {
                OrganizationalEntity supplier = new OrganizationalEntity();
                supplier.setName(implementor);
                c.setSupplier(supplier);
            }
        }
        c.setLicenses(Licences.choice(f.licences()));
        String ref =
                f.evidence() == Evidence.PACKAGE_DATABASE ? f.evidenceSource() + "#" + f.name() : f.evidenceSource();
        c.setBomRef(unique(refs, ref));

        org.cyclonedx.model.Evidence evidence = new org.cyclonedx.model.Evidence();
        Identity identity = new Identity();
        identity.setField(purl != null ? Identity.Field.PURL : Identity.Field.NAME);
        identity.setConfidence(f.confidence());
        identity.setConcludedValue(purl != null ? purl.canonicalize() : f.name());
        Method method = new Method();
        method.setTechnique(
                f.evidence() == Evidence.FILE_NAME || f.evidence() == Evidence.NONE
                        ? Method.Technique.FILENAME
                        : Method.Technique.MANIFEST_ANALYSIS);
        method.setConfidence(f.confidence());
        method.setValue(f.evidenceSource());
        identity.setMethods(List.of(method));
        evidence.setIdentities(List.of(identity));
        Occurrence occurrence = new Occurrence();
        occurrence.setLocation(f.location());
        evidence.setOccurrences(List.of(occurrence));
        c.setEvidence(evidence);

        c.addProperty(property(PROPERTY_EVIDENCE, evidenceName(f.evidence())));
        c.addProperty(property(PROPERTY_CONFIDENCE, String.valueOf(f.confidence())));
        c.addProperty(property(PROPERTY_LOCATION, f.location()));
        if (layer != null) c.addProperty(property(PROPERTY_LAYER, layer));
        for (Map.Entry<String, String> a : new TreeMap<>(f.attributes()).entrySet()) {
            c.addProperty(property("inlay:" + a.getKey(), a.getValue()));
        }
        List<FoundComponent> nested = new ArrayList<>(f.nested());
        nested.sort(Comparator.comparing(FoundComponent::location).thenComparing(FoundComponent::evidenceSource));
        if (!nested.isEmpty()) {
            List<Component> children = new ArrayList<>();
            for (FoundComponent n : nested) children.add(component(n, layer, os, refs));
            c.setComponents(children);
        }
        return c;
    }

    /** The package URL, or null when the evidence names no ecosystem coordinates (a jar known by its file name only). */
    public static PackageURL purl(FoundComponent f, Map<String, String> os) {
        try {
            return switch (f.kind()) {
                case MAVEN ->
                    f.group() == null || f.version() == null
                            ? null
                            : new PackageURL("maven", f.group(), f.name(), f.version(), null, null);
                case JDK -> new PackageURL("generic", null, "openjdk", f.version(), null, null);
                case DEB ->
                    new PackageURL(
                            "deb",
                            os.getOrDefault("ID", "debian"),
                            f.name(),
                            f.version(),
                            distroQualifiers(f, os),
                            null);
                case APK ->
                    new PackageURL(
                            "apk",
                            os.getOrDefault("ID", "alpine"),
                            f.name(),
                            f.version(),
                            distroQualifiers(f, os),
                            null);
                case OPERATING_SYSTEM, ARCHIVE -> null;
            };
        } catch (MalformedPackageURLException e) {
            return null;
        }
    }

    private static TreeMap<String, String> distroQualifiers(FoundComponent f, Map<String, String> os) {
        TreeMap<String, String> q = new TreeMap<>();
        if (f.attributes().get("arch") != null) q.put("arch", f.attributes().get("arch"));
        // The source package (Debian) or origin (Alpine) advisories are filed under, as syft and trivy write it.
        String upstream = f.attributes().getOrDefault("source", f.attributes().get("origin"));
        if (upstream != null && !upstream.equals(f.name())) q.put("upstream", upstream);
        if (os.get("ID") != null && os.get("VERSION_ID") != null)
            q.put("distro", os.get("ID") + "-" + os.get("VERSION_ID"));
        return q;
    }

    /** The value of {@code inlay:evidence}: pom-properties, package-database, release-file, manifest, file-name, ... */
    public static String evidenceName(Evidence evidence) {
        return evidence.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Property property(String name, String value) {
        Property p = new Property();
        p.setName(name);
        p.setValue(value);
        return p;
    }

    private static String unique(Set<String> refs, String ref) {
        String r = ref;
        for (int i = 2; !refs.add(r); i++) r = ref + "#" + i;
        return r;
    }
}
