package dev.inlay.profiler.review;

import dev.inlay.policy.Action;
import dev.inlay.policy.Category;
import dev.inlay.policy.Mode;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.Rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PolicyDiff as it was before {@link RuleIndex} (every pair of rules compared), kept in the tests as the reference the
 * indexed {@link PolicyDiff} must agree with. The semantic difference between two policies: which rules were added,
 * removed, widened, narrowed or changed action, and whether B lets anything happen that A did not (the CI gate). Rules are matched by id; whether B widens A is
 * decided on what each policy permits, so a rule that moved or was split is not a widening.
 */
final class QuadraticPolicyDiff {
    public enum Kind {
        ADDED,
        REMOVED,
        WIDENED,
        NARROWED,
        CHANGED,
        ACTION_CHANGED,
        DEFAULT_CHANGED,
        MODE_CHANGED,
        FAIL_OPEN_CHANGED
    }

    /** One difference; {@code widens} when it lets B permit something A did not. */
    public record Change(Kind kind, Category category, String ruleId, String detail, boolean widens) {
        public String describe() {
            String where = category == null ? "" : category.yamlName() + (ruleId == null ? "" : "/" + ruleId) + ": ";
            return (widens ? "+ " : "  ") + kind.name().toLowerCase().replace('_', ' ') + " " + where + detail;
        }
    }

    public record Result(List<Change> changes) {
        public boolean widens() {
            return changes.stream().anyMatch(Change::widens);
        }
    }

    private QuadraticPolicyDiff() {}

    public static Result diff(Policy a, Policy b) {
        List<Change> changes = new ArrayList<>();
        if (a.mode() != b.mode()) {
            changes.add(new Change(
                    Kind.MODE_CHANGED,
                    null,
                    null,
                    a.mode().wireName() + " -> " + b.mode().wireName(),
                    strictness(b.mode()) < strictness(a.mode())));
        }
        if (a.failOpen() != b.failOpen()) {
            changes.add(
                    new Change(Kind.FAIL_OPEN_CHANGED, null, null, a.failOpen() + " -> " + b.failOpen(), b.failOpen()));
        }
        for (Category c : Category.values()) {
            Action da = a.defaultAction(c);
            Action db = b.defaultAction(c);
            if (da != db) {
                changes.add(new Change(
                        Kind.DEFAULT_CHANGED,
                        c,
                        null,
                        "default " + da.wireName() + " -> " + db.wireName(),
                        db.compareTo(da) < 0));
            }
        }
        Map<String, Rule> rulesA = byId(a);
        Map<String, Rule> rulesB = byId(b);
        for (Rule ra : a.rules()) {
            Rule rb = rulesB.get(key(ra));
            if (rb == null) {
                changes.add(new Change(
                        Kind.REMOVED,
                        ra.category(),
                        ra.id(),
                        describe(ra),
                        ra.action().blocks() && !blockedIn(b, ra, ra.operations())));
            } else if (!ra.equals(rb)) {
                changes.addAll(compare(ra, rb, a, b));
            }
        }
        for (Rule rb : b.rules()) {
            if (rulesA.containsKey(key(rb))) continue;
            changes.add(new Change(
                    Kind.ADDED,
                    rb.category(),
                    rb.id(),
                    describe(rb),
                    Coverage.permits(rb.action()) && !permittedIn(a, rb, rb.operations())));
        }
        return new Result(changes);
    }

    private static List<Change> compare(Rule ra, Rule rb, Policy a, Policy b) {
        List<Change> out = new ArrayList<>();
        if (ra.action() != rb.action()) {
            boolean widens = rb.action().compareTo(ra.action()) < 0
                    && (Coverage.permits(rb.action())
                            ? !permittedIn(a, rb, rb.operations())
                            : !blockedIn(b, ra, ra.operations()));
            out.add(new Change(
                    Kind.ACTION_CHANGED,
                    rb.category(),
                    rb.id(),
                    ra.action().wireName() + " -> " + rb.action().wireName(),
                    widens));
        }
        boolean wider = !Coverage.covers(ra, rb);
        boolean narrower = !Coverage.covers(rb, ra);
        if (!wider && !narrower) {
            if (ra.action() == rb.action())
                out.add(new Change(Kind.CHANGED, rb.category(), rb.id(), "rewritten, same meaning", false));
            return out;
        }
        Kind kind = wider && narrower ? Kind.CHANGED : wider ? Kind.WIDENED : Kind.NARROWED;
        boolean widens = Coverage.permits(rb.action())
                ? wider && !permittedIn(a, rb, rb.operations())
                : narrower && !blockedIn(b, ra, ra.operations());
        out.add(new Change(kind, rb.category(), rb.id(), describe(ra) + " -> " + describe(rb), widens));
        return out;
    }

    /** True when every operation of {@code r} is permitted in {@code p} by some permitting rule that covers it. */
    private static boolean permittedIn(Policy p, Rule r, Set<Operation> ops) {
        if (Coverage.permits(p.defaultAction(r.category()))) return true;
        for (Operation op : ops) {
            boolean covered = false;
            for (Rule other : p.rules(r.category())) {
                if (Coverage.permits(other.action()) && Coverage.covers(other, r, Set.of(op))) {
                    covered = true;
                    break;
                }
            }
            if (!covered) return false;
        }
        return true;
    }

    /** True when every operation of {@code r} is still blocked in {@code p} (by a rule or by the default). */
    private static boolean blockedIn(Policy p, Rule r, Set<Operation> ops) {
        if (p.defaultAction(r.category()).blocks() && !permittedSomewhere(p, r)) return true;
        for (Operation op : ops) {
            boolean covered = false;
            for (Rule other : p.rules(r.category())) {
                if (other.action().blocks() && Coverage.covers(other, r, Set.of(op))) {
                    covered = true;
                    break;
                }
            }
            if (!covered) return false;
        }
        return true;
    }

    private static boolean permittedSomewhere(Policy p, Rule r) {
        for (Rule other : p.rules(r.category())) {
            if (!Coverage.permits(other.action())) continue;
            Set<Operation> shared = java.util.EnumSet.copyOf(other.operations());
            shared.retainAll(r.operations());
            if (shared.isEmpty()) continue;
            // overlap is approximated by containment either way; partial overlaps of two globs count as overlap too
            if (Coverage.covers(other, r, shared) || Coverage.covers(r, other, shared) || !Coverage.disjoint(other, r))
                return true;
        }
        return false;
    }

    private static int strictness(Mode m) {
        return switch (m) {
            case LEARN -> 0;
            case MONITOR -> 1;
            case ENFORCE -> 2;
        };
    }

    private static Map<String, Rule> byId(Policy p) {
        Map<String, Rule> out = new LinkedHashMap<>();
        for (Rule r : p.rules()) out.put(key(r), r);
        return out;
    }

    private static String key(Rule r) {
        return r.category().yamlName() + "/" + r.id();
    }

    static String describe(Rule r) {
        StringBuilder sb = new StringBuilder(r.action().wireName());
        List<String> ops = new ArrayList<>();
        for (Operation o : r.operations()) ops.add(o.wireName());
        sb.append(' ').append(ops);
        r.selectors()
                .forEach((s, v) ->
                        sb.append(' ').append(s.yamlName()).append('=').append(v));
        return sb.toString();
    }
}
