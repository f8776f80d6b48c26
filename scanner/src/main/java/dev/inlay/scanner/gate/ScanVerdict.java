package dev.inlay.scanner.gate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.scanner.vuln.Finding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of the scan gate for one image manifest: whether it passed and, when it did not, why (one line per
 * finding or broken rule). The contract between the ship phase, which writes it ({@code inlay registry scan}), and
 * admission, which reads it: one JSON document per manifest digest, {@value #KIND} of {@value #API_VERSION}
 * (docs/DEPLOY.md, "Scan verdicts"); both sides go through {@link #json} and {@link #parse}.
 *
 * @param digest the manifest (or index) digest the verdict is for
 * @param passed whether the image passed the gate
 * @param reasons why it did not (empty when it passed)
 * @param source where the verdict came from, for messages
 */
public record ScanVerdict(String digest, boolean passed, List<String> reasons, String source) {
    public static final String API_VERSION = "inlay.dev/v1";
    public static final String KIND = "ScanVerdict";
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public ScanVerdict {
        reasons = List.copyOf(reasons);
    }

    /** The verdict a gate gave an image: a reason per blocking finding and per component under a denied licence. */
    public static ScanVerdict of(String digest, Verdict verdict, String source) {
        List<String> reasons = new ArrayList<>();
        for (Finding f : verdict.blocking()) reasons.add(reason(f));
        for (Verdict.LicenceViolation l : verdict.licences()) {
            reasons.add(
                    "licence " + l.licence() + " of " + l.component().label() + " is denied (" + l.deniedId() + ")");
        }
        return new ScanVerdict(digest, !verdict.tripped(), reasons, source);
    }

    /** {@code CVE-2021-44228 (critical) in pkg:maven/...@2.14.1, fixed in 2.15.0}. */
    public static String reason(Finding f) {
        String what = f.component().purl() != null
                ? f.component().purl()
                : f.component().label();
        String severity = f.severity() == null ? "unrated" : f.severity().name().toLowerCase(java.util.Locale.ROOT);
        return f.id() + " (" + severity + ") in " + what
                + (f.fixed().isEmpty() ? ", no fixed version" : ", fixed in " + String.join(", ", f.fixed()));
    }

    /** The file a verdict for {@code digest} is kept in: {@code sha256-HEX.json} (no colon, which some file systems refuse). */
    public static String fileName(String digest) {
        return digest.replace(':', '-') + ".json";
    }

    /** The verdict as its JSON document. */
    public byte[] json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", API_VERSION);
        root.put("kind", KIND);
        root.put("digest", digest);
        root.put("passed", passed);
        ArrayNode list = root.putArray("reasons");
        for (String r : reasons) list.add(r);
        try {
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    /**
     * Parses and checks one verdict document; the digest in it must be {@code expectedDigest} (the one its file name
     * says). A failed verdict without reasons gets one, so a denial always says something.
     *
     * @throws IllegalArgumentException when it is not a verdict for that digest
     */
    public static ScanVerdict parse(byte[] bytes, String expectedDigest, String where) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        if (root == null || !root.isObject()) throw new IllegalArgumentException("not a JSON object");
        if (!API_VERSION.equals(root.path("apiVersion").asText(null))
                || !KIND.equals(root.path("kind").asText(null))) {
            throw new IllegalArgumentException("apiVersion must be " + API_VERSION + " and kind " + KIND);
        }
        JsonNode digest = root.get("digest");
        if (digest == null || !digest.isTextual() || !digest.asText().equals(expectedDigest)) {
            throw new IllegalArgumentException(
                    "\"digest\" is " + digest + ", not " + expectedDigest + " as its file name says");
        }
        JsonNode passed = root.get("passed");
        if (passed == null || !passed.isBoolean())
            throw new IllegalArgumentException("\"passed\" must be true or false");
        List<String> reasons = new ArrayList<>();
        JsonNode list = root.get("reasons");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) throw new IllegalArgumentException("\"reasons\" must be a list of strings");
            for (JsonNode r : list) {
                if (!r.isTextual()) throw new IllegalArgumentException("\"reasons\" must be a list of strings");
                reasons.add(r.asText());
            }
        }
        if (!passed.asBoolean() && reasons.isEmpty()) reasons.add("the scan gate failed (no reason recorded)");
        return new ScanVerdict(expectedDigest, passed.asBoolean(), passed.asBoolean() ? List.of() : reasons, where);
    }
}
