package dev.inlay.instrumenter.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.instrumenter.image.ImageArtifact;
import dev.inlay.instrumenter.image.ImageIndex;
import dev.inlay.instrumenter.transport.ImageLocation;
import dev.inlay.instrumenter.transport.ImageStores;
import dev.inlay.instrumenter.transport.Progress;
import dev.inlay.instrumenter.transport.RegistryAccess;
import dev.inlay.instrumenter.transport.RegistryCatalog;
import dev.inlay.instrumenter.wrap.ImageSbom;
import dev.inlay.instrumenter.wrap.InventoryPass;
import dev.inlay.instrumenter.wrap.LayerInventoryReader;
import dev.inlay.scanner.cache.LayerFactCache;
import dev.inlay.scanner.gate.Gate;
import dev.inlay.scanner.gate.ScanVerdict;
import dev.inlay.scanner.gate.Verdict;
import dev.inlay.scanner.vuln.AdvisoryDatabase;
import dev.inlay.scanner.vuln.Finding;
import dev.inlay.scanner.vuln.Scan;
import dev.inlay.scanner.vuln.ScanResult;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.parsers.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ship phase: every tag of a registry's repositories inventoried and scanned, results kept by manifest digest in a
 * state directory so that a daily re-run against a newer advisory database reads no image it has seen (an image
 * never changes under its digest) and reports only what changed. The state directory holds
 * <ul>
 *   <li>{@code sboms/sha256-HEX.cdx.json}: the inventory of each image manifest ever scanned (the CycloneDX SBOM
 *       {@code inlay sbom} writes), read instead of the image on every later run;
 *   <li>{@code findings/sha256-HEX.json}: the findings of the previous run, to report new and fixed ones;
 *   <li>{@code verdicts/sha256-HEX.json}: the gate's {@link ScanVerdict}, what {@code inlay admission serve
 *       --scan-verdicts STATE/verdicts} reads at deploy time. For a multi-platform image, one per platform's manifest
 *       and one for the index (passed only when every platform passed).
 * </ul>
 */
public final class RegistryScan {
    public static final String SBOMS = "sboms";
    public static final String FINDINGS = "findings";
    public static final String VERDICTS = "verdicts";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to scan: a whole registry, one repository or one tag. */
    public record Target(String registry, String repository, String tag) {
        /** {@code HOST[:PORT]}, {@code HOST[:PORT]/REPO} or {@code HOST[:PORT]/REPO:TAG}. */
        public static Target parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) return new Target(text, null, null);
            String registry = text.substring(0, slash);
            String rest = text.substring(slash + 1);
            if (rest.isEmpty()) return new Target(registry, null, null);
            if (rest.contains("@"))
                throw new IllegalArgumentException(
                        text + ": name tags, not digests: the registry's tags are what is scanned");
            int colon = rest.lastIndexOf(':');
            return colon < 0
                    ? new Target(registry, rest, null)
                    : new Target(registry, rest.substring(0, colon), rest.substring(colon + 1));
        }
    }

    /**
     * One image as this run saw it.
     *
     * @param reference {@code HOST/REPO:TAG}
     * @param digest    its manifest (or index) digest
     * @param read      whether its layers were inventoried in this run (false: its SBOM came from the state)
     * @param findings  each finding as {@code ID COMPONENT}, sorted
     * @param added     findings the previous run of this digest did not have (all of them for a digest never seen)
     * @param fixed     findings the previous run had and this one has not (the advisory database changed)
     * @param verdict   the gate's verdict
     */
    public record ImageResult(
            String reference,
            String digest,
            boolean read,
            List<String> findings,
            List<String> added,
            List<String> fixed,
            ScanVerdict verdict) {}

    private final ImageStores stores;
    private final RegistryAccess access;
    private final Path state;
    private final AdvisoryDatabase database;
    private final Gate gate;
    private final LayerFactCache layerCache;
    private final Progress progress;
    private final String inlayVersion;

    public RegistryScan(
            ImageStores stores,
            RegistryAccess access,
            Path state,
            AdvisoryDatabase database,
            Gate gate,
            LayerFactCache layerCache,
            Progress progress,
            String inlayVersion) {
        this.stores = stores;
        this.access = access;
        this.state = state;
        this.database = database;
        this.gate = gate;
        this.layerCache = layerCache;
        this.progress = progress;
        this.inlayVersion = inlayVersion;
    }

    /** The references ({@code HOST/REPO:TAG}) a target stands for, in the registry's order. */
    public List<String> references(Target target) throws IOException {
        RegistryCatalog catalog = new RegistryCatalog(target.registry(), access);
        List<String> repositories = target.repository() != null ? List.of(target.repository()) : catalog.repositories();
        List<String> references = new ArrayList<>();
        for (String repository : repositories) {
            List<String> tags = target.tag() != null ? List.of(target.tag()) : catalog.tags(repository);
            for (String tag : tags) references.add(target.registry() + "/" + repository + ":" + tag);
        }
        return references;
    }

    /** Scans one image by reference; its inventory is read only when its digest has none in the state. */
    public ImageResult scan(String reference) throws IOException {
        ImageArtifact artifact = stores.read(ImageLocation.parse(reference), null);
        String digest = artifact.digest();
        List<String> previous = readFindings(file(FINDINGS, digest, ".json"));
        List<Image> images = new ArrayList<>();
        if (artifact instanceof Image i) images.add(i);
        else for (ImageIndex.Entry e : ((ImageIndex) artifact).entries()) if (e.image() != null) images.add(e.image());
        boolean read = false;
        Set<String> findings = new TreeSet<>();
        List<String> reasons = new ArrayList<>();
        boolean passed = true;
        for (Image image : images) {
            Path sbomFile = file(SBOMS, image.digest(), ".cdx.json");
            Bom bom;
            if (Files.isRegularFile(sbomFile)) {
                bom = parse(sbomFile);
            } else {
                LayerInventoryReader.Result inventory =
                        LayerInventoryReader.read(image.layers(), new InventoryPass(layerCache), progress);
                byte[] json = ImageSbom.json(inventory.inventory(), image.digest(), inlayVersion);
                write(sbomFile, json);
                bom = parse(sbomFile);
                read = true;
            }
            ScanResult result = Scan.of(bom, database);
            Verdict verdict = gate.judge(result);
            ScanVerdict platformVerdict = ScanVerdict.of(image.digest(), verdict, reference);
            Set<String> platformFindings = keys(result.findings());
            record(image.digest(), platformFindings, platformVerdict);
            findings.addAll(platformFindings);
            if (!platformVerdict.passed()) {
                passed = false;
                for (String r : platformVerdict.reasons())
                    reasons.add(images.size() > 1 ? image.platform() + ": " + r : r);
            }
        }
        ScanVerdict verdict = new ScanVerdict(digest, passed, reasons, reference);
        if (artifact instanceof ImageIndex) record(digest, findings, verdict);
        List<String> added = new ArrayList<>(findings);
        List<String> fixed = new ArrayList<>();
        if (previous != null) {
            added.removeAll(previous);
            for (String p : previous) if (!findings.contains(p)) fixed.add(p);
        }
        return new ImageResult(reference, digest, read, List.copyOf(findings), added, fixed, verdict);
    }

    private static Set<String> keys(List<Finding> findings) {
        Set<String> keys = new TreeSet<>();
        for (Finding f : findings) {
            String component = f.component().purl() != null
                    ? f.component().purl()
                    : f.component().label();
            keys.add(f.id() + " " + component);
        }
        return keys;
    }

    private void record(String digest, Set<String> findings, ScanVerdict verdict) throws IOException {
        Path findingsFile = file(FINDINGS, digest, ".json");
        ObjectNode root = JSON.createObjectNode();
        root.put("digest", digest);
        ArrayNode list = root.putArray("findings");
        for (String f : findings) list.add(f);
        write(
                findingsFile,
                (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        write(file(VERDICTS, digest, ".json"), verdict.json());
    }

    /** The findings a previous run recorded, or null when there was none. */
    private static List<String> readFindings(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return null;
        JsonNode list = JSON.readTree(file.toFile()).get("findings");
        if (list == null || !list.isArray())
            throw new IOException(file + ": no \"findings\" list; remove the file to start afresh");
        List<String> findings = new ArrayList<>();
        for (JsonNode n : list) findings.add(n.asText());
        return findings;
    }

    private Path file(String kind, String digest, String suffix) {
        return state.resolve(kind).resolve(digest.replace(':', '-') + suffix);
    }

    private static Bom parse(Path sbom) throws IOException {
        try {
            return new JsonParser().parse(Files.readAllBytes(sbom));
        } catch (ParseException e) {
            throw new IOException(
                    sbom + ": not a CycloneDX SBOM (" + e.getMessage() + "); remove it to inventory the image again",
                    e);
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".inlay-", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
