package dev.inlay.scanner.vuln;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One advisory in the OSV schema (https://ossf.github.io/osv-schema/), reduced to what matching and reporting need.
 * Unknown fields are ignored; a record that lacks what the schema requires ({@code id}, the shape of {@code affected})
 * is refused with {@link AdvisoryFormatException}.
 */
public record OsvRecord(
        String id,
        List<String> aliases,
        List<String> upstream,
        String summary,
        String withdrawn,
        List<SeverityScore> severity,
        String databaseSeverity,
        List<Affected> affected,
        List<String> references) {

    /** A {@code severity[]} entry: {@code type} such as {@code CVSS_V3} and its {@code score} (a vector). */
    public record SeverityScore(String type, String score) {}

    /** One {@code affected[]} entry: the package, its ranges and explicit versions. */
    public record Affected(
            String ecosystem, String name, List<Range> ranges, List<String> versions, String databaseSeverity) {}

    /** A range of type {@code ECOSYSTEM}, {@code SEMVER} or {@code GIT} and its events. */
    public record Range(String type, List<Event> events) {}

    public enum EventKind {
        INTRODUCED,
        FIXED,
        LAST_AFFECTED,
        LIMIT
    }

    public record Event(EventKind kind, String version) {}

    public boolean isWithdrawn() {
        return withdrawn != null;
    }

    /** Reads a record from its JSON tree; {@code where} names the file or zip entry in errors. */
    public static OsvRecord from(JsonNode n, String where) {
        if (!n.isObject()) throw new AdvisoryFormatException(where + ": not an OSV record (not a JSON object)");
        String id = text(n, "id", where, true);
        List<String> aliases = strings(n.get("aliases"), where + " aliases");
        List<String> upstream = strings(n.get("upstream"), where + " upstream");
        List<String> related = strings(n.get("related"), where + " related");
        List<String> up = new ArrayList<>(upstream);
        // Debian's records name their CVE in 'upstream' (schema 1.6) or, before that, in 'related'.
        if (id.startsWith("DEBIAN-") || id.startsWith("DSA-") || id.startsWith("DLA-") || id.startsWith("DTSA-")) {
            for (String r : related) if (!up.contains(r)) up.add(r);
        }
        List<SeverityScore> severity = new ArrayList<>();
        JsonNode sev = n.get("severity");
        if (sev != null && !sev.isNull()) {
            if (!sev.isArray()) throw new AdvisoryFormatException(where + ": 'severity' is not a list");
            for (JsonNode s : sev) {
                severity.add(new SeverityScore(
                        text(s, "type", where + " severity", true), text(s, "score", where + " severity", true)));
            }
        }
        List<Affected> affected = new ArrayList<>();
        JsonNode aff = n.get("affected");
        if (aff != null && !aff.isNull()) {
            if (!aff.isArray()) throw new AdvisoryFormatException(where + ": 'affected' is not a list");
            for (JsonNode a : aff) affected.add(affected(a, where));
        }
        List<String> refs = new ArrayList<>();
        JsonNode r = n.get("references");
        if (r != null && r.isArray())
            for (JsonNode x : r)
                if (x.path("url").isTextual()) refs.add(x.get("url").asText());
        return new OsvRecord(
                id,
                aliases,
                List.copyOf(up),
                textOrNull(n.get("summary")),
                textOrNull(n.get("withdrawn")),
                List.copyOf(severity),
                specificSeverity(n),
                List.copyOf(affected),
                List.copyOf(refs));
    }

    private static Affected affected(JsonNode a, String where) {
        if (!a.isObject()) throw new AdvisoryFormatException(where + ": an 'affected' entry is not an object");
        JsonNode pkg = a.get("package");
        String ecosystem = null;
        String name = null;
        if (pkg != null && !pkg.isNull()) {
            ecosystem = text(pkg, "ecosystem", where + " affected.package", true);
            name = text(pkg, "name", where + " affected.package", true);
        }
        List<Range> ranges = new ArrayList<>();
        JsonNode rs = a.get("ranges");
        if (rs != null && !rs.isNull()) {
            if (!rs.isArray()) throw new AdvisoryFormatException(where + ": 'ranges' is not a list");
            for (JsonNode range : rs) {
                String type = text(range, "type", where + " range", true);
                JsonNode evs = range.get("events");
                if (evs == null || !evs.isArray() || evs.isEmpty()) {
                    throw new AdvisoryFormatException(where + ": a range without events");
                }
                List<Event> events = new ArrayList<>();
                for (JsonNode e : evs) events.add(event(e, where));
                ranges.add(new Range(type, List.copyOf(events)));
            }
        }
        List<String> versions = strings(a.get("versions"), where + " versions");
        return new Affected(ecosystem, name, List.copyOf(ranges), versions, specificSeverity(a));
    }

    private static Event event(JsonNode e, String where) {
        if (!e.isObject() || e.size() != 1) {
            throw new AdvisoryFormatException(
                    where + ": an event must have exactly one of introduced, fixed, last_affected, limit");
        }
        String key = e.fieldNames().next();
        JsonNode v = e.get(key);
        if (!v.isTextual() || v.asText().isEmpty())
            throw new AdvisoryFormatException(where + ": event '" + key + "' is not a version string");
        EventKind kind = switch (key) {
            case "introduced" -> EventKind.INTRODUCED;
            case "fixed" -> EventKind.FIXED;
            case "last_affected" -> EventKind.LAST_AFFECTED;
            case "limit" -> EventKind.LIMIT;
            default -> throw new AdvisoryFormatException(where + ": unknown range event '" + key + "'");
        };
        return new Event(kind, v.asText());
    }

    /** {@code database_specific.severity} or {@code ecosystem_specific.severity} (GitHub, Alpine, Ubuntu write one). */
    private static String specificSeverity(JsonNode n) {
        for (String f : new String[] {"database_specific", "ecosystem_specific"}) {
            JsonNode s = n.path(f).path("severity");
            if (s.isTextual() && !s.asText().isBlank()) return s.asText();
        }
        return null;
    }

    private static String text(JsonNode n, String field, String where, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new AdvisoryFormatException(where + ": '" + field + "' is missing");
            return null;
        }
        if (!v.isTextual()) throw new AdvisoryFormatException(where + ": '" + field + "' is not a string");
        return v.asText();
    }

    private static String textOrNull(JsonNode v) {
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static List<String> strings(JsonNode v, String where) {
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw new AdvisoryFormatException(where + ": not a list");
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode s : v) {
            if (!s.isTextual()) throw new AdvisoryFormatException(where + ": not a list of strings");
            out.add(s.asText());
        }
        return List.copyOf(out);
    }
}
