package dev.inlay.scanner.vuln;

import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Matches the components of a CycloneDX SBOM against an OSV advisory database. */
public final class Scan {
    private Scan() {}

    public static ScanResult of(Bom bom, AdvisoryDatabase db) throws IOException {
        List<Finding> findings = new ArrayList<>();
        List<ScannedComponent> components = new ArrayList<>();
        List<String> notLookedUp = new ArrayList<>();
        Set<String> problems = new LinkedHashSet<>();
        List<Component> all = new ArrayList<>();
        flatten(bom.getComponents(), all);
        for (Component c : all) {
            if (c.getType() == Component.Type.OPERATING_SYSTEM) continue;
            ScannedComponent sc =
                    new ScannedComponent(c.getBomRef(), displayName(c), c.getVersion(), c.getPurl(), licences(c));
            components.add(sc);
            Object where = OsvPackage.of(c, bom);
            if (where instanceof String reason) {
                notLookedUp.add(sc.label() + ": " + reason.substring(1));
                continue;
            }
            OsvPackage pkg = (OsvPackage) where;
            findings.addAll(match(sc, pkg, db.advisories(pkg.ecosystem(), pkg.name()), problems));
        }
        findings.sort(Comparator.comparing((Finding f) -> f.severity().ordinal())
                .thenComparing(f -> f.component().name())
                .thenComparing(f -> String.valueOf(f.component().version()))
                .thenComparing(Finding::id));
        return new ScanResult(
                List.copyOf(findings),
                List.copyOf(components),
                List.copyOf(notLookedUp),
                List.copyOf(problems),
                db.size());
    }

    private static void flatten(List<Component> list, List<Component> out) {
        if (list == null) return;
        for (Component c : list) {
            out.add(c);
            flatten(c.getComponents(), out);
        }
    }

    private static String displayName(Component c) {
        if (c.getGroup() != null
                && !c.getGroup().isBlank()
                && c.getPurl() != null
                && c.getPurl().startsWith("pkg:maven/")) {
            return c.getGroup() + ":" + c.getName();
        }
        return c.getName();
    }

    static List<String> licences(Component c) {
        List<String> out = new ArrayList<>();
        LicenseChoice lc = c.getLicenses();
        if (lc == null) return out;
        if (lc.getLicenses() != null) {
            for (License l : lc.getLicenses()) {
                if (l.getId() != null) out.add(l.getId());
                else if (l.getName() != null) out.add(l.getName());
            }
        }
        if (lc.getExpression() != null && lc.getExpression().getValue() != null)
            out.add(lc.getExpression().getValue());
        return out;
    }

    /** The matching records for one component, merged by alias. */
    static List<Finding> match(ScannedComponent sc, OsvPackage pkg, List<OsvRecord> records, Set<String> problems) {
        List<OsvRecord> hits = new ArrayList<>();
        Map<OsvRecord, List<String>> fixedBy = new LinkedHashMap<>();
        Map<OsvRecord, Rating> ratings = new LinkedHashMap<>();
        for (OsvRecord r : records) {
            if (r.isWithdrawn()) continue;
            boolean hit = false;
            List<String> fixed = new ArrayList<>();
            Rating rating = null;
            for (OsvRecord.Affected a : r.affected()) {
                if (!pkg.ecosystem().equals(a.ecosystem()) || !pkg.name().equals(a.name())) continue;
                RangeMatcher.Match m = RangeMatcher.match(a, pkg.version(), pkg.ecosystem());
                for (String p : m.problems()) problems.add(r.id() + " for " + sc.label() + ": " + p);
                // Every fixed version the record names for the package (a backport in another entry is an option too).
                fixed.addAll(m.fixed());
                if (m.affected()) {
                    hit = true;
                    Rating ar = Rating.of(r, a);
                    rating = rating == null ? ar : rating.max(ar);
                }
            }
            if (hit) {
                hits.add(r);
                fixedBy.put(r, fixed);
                ratings.put(r, rating);
            }
        }
        // Union of records that share an id or alias: each group is one finding.
        List<List<OsvRecord>> groups = new ArrayList<>();
        List<Set<String>> groupIds = new ArrayList<>();
        for (OsvRecord r : hits) {
            Set<String> ids = new LinkedHashSet<>();
            ids.add(r.id());
            ids.addAll(r.aliases());
            List<OsvRecord> merged = new ArrayList<>(List.of(r));
            for (int i = groups.size() - 1; i >= 0; i--) {
                if (intersects(groupIds.get(i), ids)) {
                    merged.addAll(groups.remove(i));
                    ids.addAll(groupIds.remove(i));
                }
            }
            groups.add(merged);
            groupIds.add(ids);
        }
        VersionOrder order = VersionOrder.forEcosystem(pkg.ecosystem());
        List<Finding> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<OsvRecord> group = groups.get(g);
            group.sort(Comparator.comparing(OsvRecord::id));
            List<String> ids = orderIds(groupIds.get(g));
            Set<String> related = new TreeSet<>();
            Set<String> fixed = new LinkedHashSet<>();
            Set<String> refs = new LinkedHashSet<>();
            Rating rating = null;
            String summary = null;
            for (OsvRecord r : group) {
                for (String u : r.upstream()) if (!ids.contains(u)) related.add(u);
                fixed.addAll(fixedBy.get(r));
                refs.addAll(r.references());
                rating = rating == null ? ratings.get(r) : rating.max(ratings.get(r));
                if (summary == null && r.summary() != null && !r.summary().isBlank()) summary = r.summary();
            }
            List<String> fixedList = new ArrayList<>(fixed);
            if (order != null) {
                try {
                    // The upgrades: fixed versions after the one installed (2.3.1 is no fix for 2.14.1), in order.
                    fixedList.removeIf(v -> order.compare(v, pkg.version()) <= 0);
                    fixedList.sort(order::compare);
                } catch (IllegalArgumentException e) {
                    fixedList = new ArrayList<>(fixed);
                }
            }
            out.add(new Finding(
                    sc,
                    pkg.ecosystem(),
                    pkg.name(),
                    pkg.version(),
                    ids,
                    List.copyOf(related),
                    summary,
                    rating,
                    List.copyOf(fixedList),
                    List.copyOf(refs)));
        }
        return out;
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        for (String s : b) if (a.contains(s)) return true;
        return false;
    }

    /** CVE ids first (the name most tools and people use), then the others, each sorted. */
    private static List<String> orderIds(Set<String> ids) {
        List<String> out = new ArrayList<>(ids);
        out.sort(
                Comparator.comparing((String s) -> s.startsWith("CVE-") ? 0 : 1).thenComparing(s -> s));
        return List.copyOf(out);
    }
}
