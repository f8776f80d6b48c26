package dev.inlay.scanner.vuln;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a version is affected by one OSV {@code affected} entry, as the OSV schema's evaluation says: a version in
 * the explicit {@code versions} list is affected; in an {@code ECOSYSTEM} or {@code SEMVER} range the events are sorted
 * by version ({@code introduced: "0"} first) and walked, {@code introduced} at or below the version opening the range,
 * {@code fixed} at or below it closing it, {@code last_affected} below it closing it; with {@code limit} events the
 * version must also be below one of them. {@code GIT} ranges name commits, not versions, and are not evaluated.
 */
public final class RangeMatcher {
    private RangeMatcher() {}

    /** The outcome: affected or not, the fixed versions the entry names, and why a range could not be decided. */
    public record Match(boolean affected, List<String> fixed, List<String> problems) {}

    public static Match match(OsvRecord.Affected affected, String version, String ecosystem) {
        List<String> problems = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        boolean hit = affected.versions().contains(version);
        for (OsvRecord.Range range : affected.ranges()) {
            VersionOrder order = switch (range.type()) {
                case "ECOSYSTEM" -> VersionOrder.forEcosystem(ecosystem);
                case "SEMVER" -> VersionOrder.SEMVER;
                default -> null;
            };
            for (OsvRecord.Event e : range.events()) if (e.kind() == OsvRecord.EventKind.FIXED) fixed.add(e.version());
            if (order == null) {
                if (range.type().equals("ECOSYSTEM")) problems.add("no version ordering for ecosystem " + ecosystem);
                continue;
            }
            try {
                if (inRange(range, version, order)) hit = true;
            } catch (IllegalArgumentException ex) {
                problems.add(ex.getMessage());
            }
        }
        return new Match(hit, List.copyOf(fixed), List.copyOf(problems));
    }

    static boolean inRange(OsvRecord.Range range, String version, VersionOrder order) {
        Comparator<String> cmp = (a, b) -> {
            boolean za = a.equals("0");
            boolean zb = b.equals("0");
            if (za || zb) return za == zb ? 0 : za ? -1 : 1;
            return order.compare(a, b);
        };
        List<OsvRecord.Event> events = new ArrayList<>(range.events());
        List<String> limits = new ArrayList<>();
        events.removeIf(e -> {
            if (e.kind() == OsvRecord.EventKind.LIMIT) {
                limits.add(e.version());
                return true;
            }
            return false;
        });
        events.sort((a, b) -> cmp.compare(a.version(), b.version()));
        boolean vulnerable = false;
        for (OsvRecord.Event e : events) {
            switch (e.kind()) {
                case INTRODUCED -> {
                    if (e.version().equals("0") || cmp.compare(version, e.version()) >= 0) vulnerable = true;
                }
                case FIXED -> {
                    if (cmp.compare(version, e.version()) >= 0) vulnerable = false;
                }
                case LAST_AFFECTED -> {
                    if (cmp.compare(version, e.version()) > 0) vulnerable = false;
                }
                default -> {}
            }
        }
        if (vulnerable && !limits.isEmpty()) {
            boolean below = false;
            for (String limit : limits) if (limit.equals("*") || cmp.compare(version, limit) < 0) below = true;
            vulnerable = below;
        }
        return vulnerable;
    }
}
