package dev.inlay.scanner.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.scanner.gate.Ignore;
import dev.inlay.scanner.gate.Verdict;
import dev.inlay.scanner.runtime.RuntimeEvidence;
import dev.inlay.scanner.vuln.Finding;
import dev.inlay.scanner.vuln.ScannedComponent;

import java.util.List;

/** {@code --json}: one JSON object (docs/CLI.md, docs/SCAN.md "Outputs"); fields may be added, never renamed. */
public final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonOutput() {}

    public static String write(ScanReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("target", report.target());
        root.put("database", report.database());
        root.put("advisories", report.scan().advisories());
        root.put("components", report.scan().components().size());
        Verdict v = report.verdict();
        ArrayNode findings = root.putArray("findings");
        for (Finding f : report.scan().findings()) {
            ObjectNode n = findings.addObject();
            n.put("id", f.id());
            strings(n.putArray("ids"), f.ids());
            strings(n.putArray("related"), f.related());
            n.put("severity", f.severity().label());
            if (f.rating().score() != null) n.put("score", f.rating().score());
            else n.putNull("score");
            n.put("vector", f.rating().vector());
            n.put("severitySource", f.rating().source());
            component(n.putObject("component"), f.component());
            n.put("ecosystem", f.ecosystem());
            n.put("package", f.name());
            n.put("version", f.version());
            strings(n.putArray("fixed"), f.fixed());
            n.put("summary", f.summary());
            strings(n.putArray("references"), f.references());
            if (report.loaded() != null)
                n.put("loaded", RuntimeEvidence.of(report.loaded(), f).label());
            n.put("gate", v.blocking().contains(f) ? "fails" : v.isIgnored(f) ? "ignored" : "passes");
            for (Verdict.Ignored i : v.ignored()) if (i.finding() == f) ignore(n.putObject("ignored"), i.ignore());
        }
        ObjectNode gate = root.putObject("gate");
        gate.put("failOn", v.failOn() == null ? null : v.failOn().label());
        gate.put("tripped", v.tripped());
        ArrayNode blocking = gate.putArray("blocking");
        for (Finding f : v.blocking()) blocking.add(f.id());
        ArrayNode licences = gate.putArray("licences");
        for (Verdict.LicenceViolation l : v.licences()) {
            ObjectNode n = licences.addObject();
            component(n.putObject("component"), l.component());
            n.put("licence", l.licence());
            n.put("denied", l.deniedId());
        }
        ArrayNode expired = gate.putArray("expiredIgnores");
        for (Ignore i : v.expired()) ignore(expired.addObject(), i);
        ArrayNode unused = gate.putArray("unusedIgnores");
        for (Ignore i : v.unused()) ignore(unused.addObject(), i);
        strings(root.putArray("notLookedUp"), report.scan().notLookedUp());
        strings(root.putArray("problems"), report.scan().problems());
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree built here cannot be written", e);
        }
    }

    private static void component(ObjectNode n, ScannedComponent c) {
        n.put("bomRef", c.bomRef());
        n.put("name", c.name());
        n.put("version", c.version());
        n.put("purl", c.purl());
        strings(n.putArray("licences"), c.licences());
    }

    private static void ignore(ObjectNode n, Ignore i) {
        n.put("id", i.id());
        n.put("reason", i.reason());
        n.put("until", i.until() == null ? null : i.until().toString());
        n.put("origin", i.origin());
    }

    private static void strings(ArrayNode a, List<String> values) {
        for (String s : values) a.add(s);
    }
}
