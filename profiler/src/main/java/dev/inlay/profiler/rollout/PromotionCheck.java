package dev.inlay.profiler.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.policy.Action;
import dev.inlay.policy.Policy;
import dev.inlay.policy.Rule;
import dev.inlay.profiler.BoundedLines;
import dev.inlay.profiler.ProfilerInputException;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The gate before a candidate policy replaces the one in force ({@code inlay policy promote-check}, docs/DEPLOY.md):
 * from the agent's {@code shadow} and {@code shadow-hits} lines of the candidate (matched by its digest), what it would
 * deny that the policy in force let through, and which of its allow and alert rules nothing exercised.
 */
public final class PromotionCheck {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PromotionCheck() {}

    /** The shadow evidence of captured agent output: any number of inputs, repeated lines counted once. */
    public static final class Evidence {
        private final List<RolloutLines.ShadowDenial> denials = new ArrayList<>();
        private final List<RolloutLines.ShadowHits> hits = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();
        private long malformed;
        private long duplicates;

        /** @param source names the input in the error for a line over {@link BoundedLines#MAX_LINE_CHARS} */
        public void read(Reader reader, String source) throws IOException {
            BoundedLines lines = new BoundedLines(reader, source);
            for (String line = lines.next(); line != null; line = lines.next()) {
                int start = line.indexOf("{\"inlay\"");
                if (start < 0 || !line.contains(RolloutLines.SHADOW)) continue;
                JsonNode doc;
                try {
                    doc = MAPPER.readTree(line.substring(start));
                } catch (JsonProcessingException e) {
                    malformed++;
                    continue;
                }
                if (doc == null || !doc.isObject()) continue;
                String type = doc.path("inlay").asText();
                try {
                    if (type.equals(RolloutLines.SHADOW)) {
                        RolloutLines.ShadowDenial d = RolloutLines.shadow(doc);
                        if (seen.add("shadow|" + line.substring(start).strip())) denials.add(d);
                        else duplicates++;
                    } else if (type.equals(RolloutLines.SHADOW_HITS)) {
                        RolloutLines.ShadowHits h = RolloutLines.shadowHits(doc);
                        if (seen.add("hits|" + h.digest() + "|" + h.run() + "|" + h.seq() + "|" + h.chunk()))
                            hits.add(h);
                        else duplicates++;
                    }
                } catch (IllegalArgumentException e) {
                    malformed++;
                }
            }
        }

        public long malformed() {
            return malformed;
        }

        public long duplicates() {
            return duplicates;
        }
    }

    /** One operation the candidate would deny, with its occurrences summed. */
    public record Denial(
            String category,
            String operation,
            String resource,
            String action,
            String rule,
            String currentAction,
            String currentRule,
            Set<String> phases,
            long count) {
        public String describe() {
            return category + " " + operation + " " + resource + ": " + action + " by candidate rule " + rule
                    + "; now " + currentAction + " by rule " + currentRule + " (" + count + "x, phase "
                    + String.join("/", phases) + ")";
        }
    }

    /**
     * @param blocking    what the candidate would deny that the policy in force let through
     * @param deniedBoth  what both deny: promoting changes nothing for it
     * @param unexercised allow and alert rules of the candidate without a hit, not accepted by name
     * @param accepted    unexercised rules accepted by {@code --allow-unused}
     * @param guards      deny and kill rules without a hit: a guard's purpose, not blocking
     * @param runs        distinct agent runs that evaluated this candidate
     * @param otherDigests shadow evidence of other candidates, ignored
     */
    public record Result(
            String digest,
            List<Denial> blocking,
            List<Denial> deniedBoth,
            List<String> unexercised,
            List<String> accepted,
            List<String> guards,
            Map<String, Long> hits,
            int runs,
            Set<String> otherDigests) {
        public boolean clear() {
            return blocking.isEmpty() && unexercised.isEmpty();
        }
    }

    /**
     * @param digest      the candidate document's {@code sha256:...}, which the agent reports with every line
     * @param allowUnused rule ids whose lack of hits is accepted
     * @throws ProfilerInputException when the inputs hold no shadow-hits line of this candidate: it did not run
     */
    public static Result check(Policy candidate, String digest, Evidence evidence, Set<String> allowUnused) {
        Map<String, Long> counts = new TreeMap<>();
        Set<String> runs = new HashSet<>();
        Set<String> otherDigests = new TreeSet<>();
        for (RolloutLines.ShadowHits h : evidence.hits) {
            if (!h.digest().equalsIgnoreCase(digest)) {
                otherDigests.add(h.digest());
                continue;
            }
            runs.add(h.run());
            h.hits().forEach((rule, n) -> counts.merge(rule, n, Long::sum));
        }
        if (runs.isEmpty()) {
            throw new ProfilerInputException("no shadow-hits lines of this candidate (" + digest + ") in the inputs"
                    + (otherDigests.isEmpty()
                            ? ": run it beside the policy in force first (inlay wrap"
                                    + " --shadow-policy, or shadowPolicy= / INLAY_SHADOW_POLICY)"
                            : "; they hold other candidates: " + String.join(", ", otherDigests)));
        }
        Map<String, Denial> blocking = new LinkedHashMap<>();
        Map<String, Denial> both = new LinkedHashMap<>();
        for (RolloutLines.ShadowDenial d : evidence.denials) {
            if (!d.digest().equalsIgnoreCase(digest)) {
                otherDigests.add(d.digest());
                continue;
            }
            Map<String, Denial> into = d.permittedNow() ? blocking : both;
            String key = d.category() + "\u0000" + d.operation() + "\u0000" + d.resource() + "\u0000" + d.rule()
                    + "\u0000" + d.currentAction();
            Denial prior = into.get(key);
            Set<String> phases = new TreeSet<>(prior == null ? Set.of() : prior.phases());
            if (d.phase() != null) phases.add(d.phase());
            into.put(
                    key,
                    new Denial(
                            d.category(),
                            d.operation(),
                            d.resource(),
                            d.action(),
                            d.rule(),
                            d.currentAction(),
                            d.currentRule(),
                            phases,
                            (prior == null ? 0 : prior.count()) + d.count()));
        }
        List<String> unexercised = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        List<String> guards = new ArrayList<>();
        for (Rule r : candidate.rules()) {
            if (counts.getOrDefault(r.id(), 0L) > 0) continue;
            String name = r.category().yamlName() + "/" + r.id();
            if (r.action() == Action.DENY || r.action() == Action.KILL) guards.add(name);
            else if (allowUnused.contains(r.id())) accepted.add(name);
            else unexercised.add(name);
        }
        return new Result(
                digest,
                List.copyOf(blocking.values()),
                List.copyOf(both.values()),
                unexercised,
                accepted,
                guards,
                counts,
                runs.size(),
                otherDigests);
    }
}
