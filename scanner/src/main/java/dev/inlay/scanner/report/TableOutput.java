package dev.inlay.scanner.report;

import dev.inlay.scanner.gate.Ignore;
import dev.inlay.scanner.gate.Verdict;
import dev.inlay.scanner.runtime.RuntimeEvidence;
import dev.inlay.scanner.vuln.Finding;
import dev.inlay.scanner.vuln.Severity;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The terminal output: a table of findings on stdout; the summary and the gate's verdict on stderr. */
public final class TableOutput {
    private TableOutput() {}

    public static void write(ScanReport report, PrintWriter out, PrintWriter err) {
        List<String[]> rows = new ArrayList<>();
        boolean runtime = report.loaded() != null;
        rows.add(
                runtime
                        ? new String[] {
                            "LOADED", "SEVERITY", "ID", "ALIASES", "COMPONENT", "VERSION", "FIXED IN", "GATE"
                        }
                        : new String[] {"SEVERITY", "ID", "ALIASES", "COMPONENT", "VERSION", "FIXED IN", "GATE"});
        Verdict v = report.verdict();
        for (Finding f : report.scan().findings()) {
            String gate = v.blocking().contains(f) ? "fails" : v.isIgnored(f) ? "ignored" : "";
            String score = f.rating().score() == null ? "" : " " + f.rating().score();
            List<String> aliases = new ArrayList<>(f.ids().subList(1, f.ids().size()));
            aliases.addAll(f.related());
            String[] row = new String[] {
                f.severity().label() + score,
                f.id(),
                String.join(",", aliases),
                f.component().name(),
                String.valueOf(f.version()),
                f.fixed().isEmpty() ? "-" : String.join(",", f.fixed()),
                gate
            };
            if (runtime) {
                String[] withLoaded = new String[row.length + 1];
                withLoaded[0] = RuntimeEvidence.of(report.loaded(), f).label();
                System.arraycopy(row, 0, withLoaded, 1, row.length);
                row = withLoaded;
            }
            rows.add(row);
        }
        if (rows.size() > 1) {
            int[] width = new int[rows.get(0).length];
            for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    line.append(r[i]);
                    if (i < r.length - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
                out.println(line.toString().stripTrailing());
            }
        }
        for (Verdict.LicenceViolation l : v.licences()) {
            out.println("licence  " + l.component().label() + ": " + l.licence() + " (denied: " + l.deniedId() + ")");
        }
        out.flush();
        summary(report, err);
    }

    /** The lines on stderr every output format shares: counts, what was not looked up, ignores, the verdict. */
    public static void summary(ScanReport report, PrintWriter err) {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Finding f : report.scan().findings()) counts.merge(f.severity(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Severity, Integer> e : counts.entrySet())
            parts.add(e.getValue() + " " + e.getKey().label());
        long affected = report.scan().findings().stream()
                .map(Finding::component)
                .distinct()
                .count();
        err.println(plural(report.scan().findings().size(), "vulnerability") + " in " + affected + " of "
                + plural(report.scan().components().size(), "component")
                + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")")
                + ", " + plural(report.scan().advisories(), "advisory") + " in " + report.database());
        if (!report.scan().notLookedUp().isEmpty()) {
            err.println(plural(report.scan().notLookedUp().size(), "component") + " not looked up:");
            for (String s : report.scan().notLookedUp()) err.println("  " + s);
        }
        for (String p : report.scan().problems()) err.println("inlay: warning: could not decide " + p);
        Verdict v = report.verdict();
        for (Verdict.Ignored i : v.ignored()) {
            err.println("ignored " + i.finding().id() + " in "
                    + i.finding().component().label() + ": " + i.ignore().reason()
                    + (i.ignore().until() == null ? "" : " (until " + i.ignore().until() + ")"));
        }
        for (Ignore i : v.expired()) {
            err.println("inlay: warning: the ignore of " + i.id() + " (" + i.origin() + ") expired on " + i.until()
                    + " and no longer applies");
        }
        for (Ignore i : v.unused())
            err.println("inlay: note: the ignore of " + i.id() + " (" + i.origin() + ") matched nothing");
        if (v.tripped()) {
            List<String> why = new ArrayList<>();
            if (!v.blocking().isEmpty())
                why.add(v.blocking().size() + " at or above " + v.failOn().label());
            if (!v.licences().isEmpty()) why.add(plural(v.licences().size(), "component") + " under a denied licence");
            err.println("gate failed: " + String.join(", ", why));
        } else if (v.failOn() != null || !v.licences().isEmpty()) {
            err.println("gate passed");
        }
        err.flush();
    }

    private static String plural(long n, String word) {
        if (n == 1) return n + " " + word;
        return n + " " + (word.endsWith("y") ? word.substring(0, word.length() - 1) + "ies" : word + "s");
    }
}
