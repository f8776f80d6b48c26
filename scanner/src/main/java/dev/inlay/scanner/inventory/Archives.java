package dev.inlay.scanner.inventory;

import dev.inlay.scanner.inventory.FoundComponent.Evidence;
import dev.inlay.scanner.inventory.FoundComponent.Kind;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Identifies the Maven artifacts in a jar, war or ear read as a stream, and in every archive nested in it (Spring Boot
 * {@code BOOT-INF/lib}, {@code WEB-INF/lib}, an ear's modules and {@code lib/}). Evidence, most reliable first:
 * {@code META-INF/maven/G/A/pom.properties} (several in a shaded jar: the one matching the file name is the jar, the
 * others are nested in it), the manifest's Implementation-/Bundle- attributes, the file name {@code name-version.jar}.
 */
public final class Archives {
    /** Archives inside archives inside archives: deeper is not a layout any build tool produces. */
    private static final int MAX_DEPTH = 4;

    private static final int MAX_METADATA_BYTES = 1 << 20;
    private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.properties");
    private static final Pattern POM_XML = Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.xml");
    /** name-version.jar, the version starting with a digit: commons-collections-3.2.1.jar, log4j-core-2.14.1.jar. */
    private static final Pattern NAME_VERSION = Pattern.compile("(.+?)-(\\d[^/]*)\\.(?:jar|war|ear)");

    private Archives() {}

    public static boolean isArchiveName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".jar") || n.endsWith(".war") || n.endsWith(".ear");
    }

    /**
     * The component the archive at {@code location} is, with what it carries nested; never null: an archive nothing
     * identifies is listed with {@link Evidence#NONE}. {@code in} is read but not closed.
     */
    public static FoundComponent identify(String location, InputStream in) {
        return identify(location, in, 0);
    }

    private record Pom(String group, String artifact, String version, String source) {}

    private static FoundComponent identify(String location, InputStream in, int depth) {
        String fileName = location.substring(Math.max(location.lastIndexOf('/'), location.lastIndexOf('!')) + 1);
        List<Pom> poms = new ArrayList<>();
        Map<String, List<String>> pomLicences = new LinkedHashMap<>();
        Manifest manifest = null;
        List<FoundComponent> nested = new ArrayList<>();
        String unreadable = null;
        try {
            ZipInputStream zip = new ZipInputStream(new NonClosing(in));
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.isDirectory()) continue;
                String name = e.getName();
                String inner = location + "!/" + name;
                Matcher m;
                if ((m = POM_PROPERTIES.matcher(name)).matches()) {
                    Properties p = new Properties();
                    p.load(new ByteArrayInputStream(readBounded(zip)));
                    String g = p.getProperty("groupId", m.group(1)).trim();
                    String a = p.getProperty("artifactId", m.group(2)).trim();
                    String v = p.getProperty("version", "").trim();
                    poms.add(new Pom(g, a, v.isEmpty() ? null : v, inner));
                } else if ((m = POM_XML.matcher(name)).matches()) {
                    pomLicences.put(m.group(1) + ":" + m.group(2), pomLicences(readBounded(zip)));
                } else if (name.equals("META-INF/MANIFEST.MF")) {
                    manifest = new Manifest(new ByteArrayInputStream(readBounded(zip)));
                } else if (isArchiveName(name) && depth < MAX_DEPTH) {
                    nested.add(identify(inner, zip, depth + 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            // A damaged or exotic archive (e.g. stored entries with data descriptors): what was read so far stands.
            unreadable = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return selfIdentity(location, fileName, poms, pomLicences, manifest, nested, unreadable);
    }

    private static FoundComponent selfIdentity(
            String location,
            String fileName,
            List<Pom> poms,
            Map<String, List<String>> pomLicences,
            Manifest manifest,
            List<FoundComponent> nested,
            String unreadable) {
        Matcher byName = NAME_VERSION.matcher(fileName);
        String nameFromFile = byName.matches() ? byName.group(1) : null;
        String versionFromFile = byName.matches() ? byName.group(2) : null;
        Pom own = null;
        for (Pom p : poms) {
            if (p.artifact.equals(nameFromFile)) {
                own = p;
                break;
            }
        }
        if (own == null && poms.size() == 1) own = poms.get(0);
        List<FoundComponent> children = new ArrayList<>();
        for (Pom p : poms) {
            if (p == own) continue;
            children.add(new FoundComponent(
                    Kind.MAVEN,
                    p.group,
                    p.artifact,
                    p.version,
                    pomLicences.get(p.group + ":" + p.artifact),
                    Evidence.POM_PROPERTIES,
                    p.source,
                    Evidence.POM_PROPERTIES.confidence,
                    location,
                    Map.of("shaded", "true"),
                    List.of()));
        }
        children.addAll(nested);
        Map<String, String> attributes = new LinkedHashMap<>();
        if (unreadable != null) attributes.put("unreadable", unreadable);
        List<String> licences = new ArrayList<>();
        Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
        String bundleLicence = main.getValue("Bundle-License");
        if (own != null) {
            List<String> fromPom = pomLicences.get(own.group + ":" + own.artifact);
            if (fromPom != null) licences.addAll(fromPom);
            if (licences.isEmpty() && bundleLicence != null) licences.add(bundleLicence);
            return new FoundComponent(
                    Kind.MAVEN,
                    own.group,
                    own.artifact,
                    own.version,
                    licences,
                    Evidence.POM_PROPERTIES,
                    own.source,
                    Evidence.POM_PROPERTIES.confidence,
                    location,
                    attributes,
                    children);
        }
        if (bundleLicence != null) licences.add(bundleLicence);
        String version = first(main.getValue("Implementation-Version"), main.getValue("Bundle-Version"));
        String title = first(main.getValue("Implementation-Title"), main.getValue("Bundle-SymbolicName"));
        if (version != null) {
            String group = main.getValue("Implementation-Vendor-Id");
            String name = nameFromFile != null
                    ? nameFromFile
                    : title != null ? title.split(";")[0].trim() : baseName(fileName);
            Evidence evidence = group != null ? Evidence.MANIFEST_WITH_GROUP : Evidence.MANIFEST;
            return new FoundComponent(
                    Kind.MAVEN,
                    group,
                    name,
                    version.trim(),
                    licences,
                    evidence,
                    location + "!/META-INF/MANIFEST.MF",
                    evidence.confidence,
                    location,
                    attributes,
                    children);
        }
        if (nameFromFile != null) {
            return new FoundComponent(
                    Kind.MAVEN,
                    null,
                    nameFromFile,
                    versionFromFile,
                    licences,
                    Evidence.FILE_NAME,
                    location,
                    Evidence.FILE_NAME.confidence,
                    location,
                    attributes,
                    children);
        }
        return new FoundComponent(
                Kind.ARCHIVE,
                null,
                baseName(fileName),
                null,
                licences,
                Evidence.NONE,
                location,
                Evidence.NONE.confidence,
                location,
                attributes,
                children);
    }

    private static String baseName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static String first(String a, String b) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
    }

    /** The {@code <licenses>} of a pom: each licence's name, or its URL when it has no name. */
    static List<String> pomLicences(byte[] pomXml) {
        List<String> out = new ArrayList<>();
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(pomXml));
            Element project = doc.getDocumentElement();
            for (Element licenses : children(project, "licenses")) {
                for (Element licence : children(licenses, "license")) {
                    String name = text(licence, "name");
                    String url = text(licence, "url");
                    if (name != null) out.add(name);
                    else if (url != null) out.add(url);
                }
            }
        } catch (Exception e) {
            // A pom that does not parse states no licence; the component is still identified by its pom.properties.
        }
        return out;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element el && el.getTagName().equals(tag)) out.add(el);
        }
        return out;
    }

    private static String text(Element parent, String tag) {
        for (Element el : children(parent, tag)) {
            String t = el.getTextContent().trim();
            if (!t.isEmpty()) return t;
        }
        return null;
    }

    static byte[] readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_METADATA_BYTES + 1);
        if (bytes.length > MAX_METADATA_BYTES)
            throw new IOException("metadata file larger than " + MAX_METADATA_BYTES + " bytes");
        return bytes;
    }

    /** Lets a nested ZipInputStream be dropped without closing the stream it reads from. */
    static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }
}
