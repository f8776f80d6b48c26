package dev.inlay.profiler.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.policy.Policy;
import dev.inlay.policy.Rule;
import dev.inlay.profiler.BoundedLines;
import dev.inlay.profiler.ProfilerInputException;
import dev.inlay.profiler.profile.Times;

import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Proposes removing rules that matched nothing over a window, from the {@code "hits"} lines the agent writes in
 * monitor and enforce mode. Each hits line counts rule matches between {@code since} and {@code time}; the window
 * ends at the newest {@code time} seen, and a line counts when its interval overlaps the window.
 */
public final class PolicyPruner {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Hit counts summed per rule id over the window, and what the evidence covers. */
    public static final class Hits {
        private final List<Entry> entries = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();
        private long duplicates;

        private record Entry(long since, long time, Map<String, Long> rules) {}

        public void read(Reader reader) throws IOException {
            read(reader, "hits input");
        }

        /** @param source names the input in the error for a line over {@link BoundedLines#MAX_LINE_CHARS} */
        public void read(Reader reader, String source) throws IOException {
            BoundedLines lines = new BoundedLines(reader, source);
            for (String line = lines.next(); line != null; line = lines.next()) {
                int start = line.indexOf("{\"inlay\"");
                if (start < 0) start = line.contains("\"hits\"") ? line.indexOf('{') : -1;
                if (start < 0) continue;
                JsonNode doc;
                try {
                    doc = MAPPER.readTree(line.substring(start));
                } catch (JsonProcessingException e) {
                    continue; // a truncated or foreign line; hits lines are small and whole
                }
                if (doc == null || !"hits".equals(doc.path("inlay").asText())) continue;
                long time = Times.parse(doc.path("time").asText(null), Long.MIN_VALUE);
                if (time == Long.MIN_VALUE) throw new ProfilerInputException("hits line without time: " + line);
                long since = Times.parse(doc.path("since").asText(null), time);
                String identity =
                        doc.path("run").asText("") + "|" + doc.path("replica").asText("") + "|" + since + "|" + time;
                if (!seen.add(identity)) {
                    duplicates++;
                    continue;
                }
                Map<String, Long> rules = new TreeMap<>();
                doc.path("rules")
                        .fields()
                        .forEachRemaining(
                                e -> rules.merge(e.getKey(), e.getValue().asLong(0), Long::sum));
                entries.add(new Entry(since, time, rules));
            }
        }

        public boolean isEmpty() {
            return entries.isEmpty();
        }

        public long duplicates() {
            return duplicates;
        }

        long newest() {
            return entries.stream().mapToLong(Entry::time).max().orElse(Long.MIN_VALUE);
        }
    }

    public record Proposal(
            Policy pruned,
            List<Rule> removed,
            Map<String, Long> hits,
            long windowStart,
            long windowEnd,
            long evidenceStart,
            List<String> warnings) {}

    private PolicyPruner() {}

    public static Proposal propose(Policy policy, Hits hits, Duration window) {
        if (hits.isEmpty()) throw new ProfilerInputException("no inlay hits lines in the inputs");
        long end = hits.newest();
        long start = end - window.toMillis();
        Map<String, Long> counts = new TreeMap<>();
        long evidenceStart = Long.MAX_VALUE;
        for (Hits.Entry e : hits.entries) {
            if (e.time < start) continue;
            evidenceStart = Math.min(evidenceStart, e.since);
            e.rules.forEach((id, n) -> counts.merge(id, n, Long::sum));
        }
        List<String> warnings = new ArrayList<>();
        if (evidenceStart > start) {
            warnings.add("hits cover only " + Times.format(evidenceStart) + " .. " + Times.format(end)
                    + ", less than the window; rules used rarely may be proposed");
        }
        Policy.Builder pruned =
                Policy.builder(policy.name()).mode(policy.mode()).failOpen(policy.failOpen());
        policy.labels().forEach(pruned::label);
        policy.explicitDefaults().forEach(pruned::defaultAction);
        List<Rule> removed = new ArrayList<>();
        for (Rule r : policy.rules()) {
            // deny and kill rules guard against what should not happen: zero hits is their purpose
            if (Coverage.permits(r.action()) && counts.getOrDefault(r.id(), 0L) == 0) removed.add(r);
            else pruned.rule(r);
        }
        return new Proposal(pruned.build(), removed, counts, start, end, evidenceStart, warnings);
    }
}
