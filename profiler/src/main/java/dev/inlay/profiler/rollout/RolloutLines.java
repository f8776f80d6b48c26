package dev.inlay.profiler.rollout;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where the profiler reads what safe rollout adds to the agent's lines (docs/EVENTS.md): the
 * {@code phase} of an event, {@code shadow} lines (what a candidate policy would deny) and {@code shadow-hits} lines
 * (its rule hits). Written in one place too: the agent's {@code RolloutFields}.
 */
public final class RolloutLines {
    public static final String SHADOW = "shadow";
    public static final String SHADOW_HITS = "shadow-hits";
    public static final String STARTUP = "startup";

    private RolloutLines() {}

    /** {@code startup} or {@code run}; null for a line written before phases existed. */
    public static String phase(JsonNode line) {
        JsonNode phase = line.get(dev.inlay.model.Event.PHASE);
        return phase != null && phase.isTextual() ? phase.asText() : null;
    }

    /**
     * What the candidate would deny.
     *
     * @param currentAction what the policy in force decided ({@code allow}, {@code alert}, {@code deny}, {@code kill})
     */
    public record ShadowDenial(
            String policyName,
            String digest,
            String category,
            String operation,
            String resource,
            String action,
            String rule,
            String currentAction,
            String currentRule,
            String phase,
            long count,
            String run,
            String time) {
        /** Whether the policy in force let the operation through: then promoting the candidate changes it. */
        public boolean permittedNow() {
            return !currentAction.equals("deny") && !currentAction.equals("kill");
        }
    }

    /** A chunk of the candidate's rule hits; {@code (run, seq, chunk)} identifies it. */
    public record ShadowHits(
            String policyName, String digest, String run, long seq, int chunk, Map<String, Long> hits) {}

    /** @throws IllegalArgumentException when a field a shadow line must have is missing */
    public static ShadowDenial shadow(JsonNode line) {
        JsonNode current = line.path("current");
        return new ShadowDenial(
                line.path("policy").path("name").asText(""),
                required(line.path("policy"), "digest"),
                required(line, "category"),
                required(line, "operation"),
                required(line, "resource"),
                required(line, "action"),
                required(line, "rule"),
                required(current, "action"),
                current.path("rule").asText(""),
                phase(line),
                Math.max(1, line.path("count").asLong(1)),
                line.path("run").asText(""),
                line.path("time").asText(""));
    }

    /** @throws IllegalArgumentException when a field a shadow-hits line must have is missing or a count is negative */
    public static ShadowHits shadowHits(JsonNode line) {
        JsonNode hits = line.get("hits");
        if (hits == null || !hits.isObject()) throw new IllegalArgumentException("no hits object");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = hits.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
                throw new IllegalArgumentException("bad count for " + e.getKey());
            }
            counts.put(e.getKey(), e.getValue().asLong());
        }
        JsonNode seq = line.get("seq");
        if (seq == null || !seq.canConvertToLong()) throw new IllegalArgumentException("no seq");
        return new ShadowHits(
                line.path("policy").asText(""),
                required(line, "policyDigest"),
                required(line, "run"),
                seq.asLong(),
                line.path("chunk").asInt(0),
                counts);
    }

    private static String required(JsonNode node, String field) {
        JsonNode n = node.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) throw new IllegalArgumentException("no " + field);
        return n.asText();
    }
}
