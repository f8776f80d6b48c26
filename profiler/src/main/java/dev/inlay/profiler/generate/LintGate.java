package dev.inlay.profiler.generate;

import dev.inlay.policy.Operation;
import dev.inlay.profiler.profile.BehaviorKey;
import dev.inlay.profiler.profile.BehaviorStats;
import dev.inlay.profiler.review.PolicyLinter;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Generation never emits what {@code policy lint} calls broad or secret. A generalized rule lint objects to is
 * replaced by its learned behaviors, each exactly as learned; a rule lint still objects to (a read of
 * {@code /etc/shadow}, anything under {@code /root}) is kept out of the policy, with the reason on stderr and in the
 * header: allowing it takes a person who writes the rule by hand.
 */
final class LintGate implements DraftPass {
    private final Notes notes;
    private final LearnedRoots roots;
    private final NamedEndpoints namedEndpoints;

    LintGate(Notes notes, LearnedRoots roots, NamedEndpoints namedEndpoints) {
        this.notes = notes;
        this.roots = roots;
        this.namedEndpoints = namedEndpoints;
    }

    @Override
    public void apply(Drafts drafts) {
        List<Map.Entry<BehaviorKey, BehaviorStats>> again = new ArrayList<>();
        for (Iterator<Draft> it = drafts.all().iterator(); it.hasNext(); ) {
            Draft d = it.next();
            List<PolicyLinter.Finding> findings = findings(d);
            if (findings.isEmpty()) continue;
            it.remove();
            if (d.generalized) {
                notes.header.add("not generalized: " + findings.get(0).message() + " (lint: " + kind(findings.get(0))
                        + "); written as the " + d.members.size() + " learned " + d.category.wireName()
                        + " behaviors instead");
                again.addAll(d.members);
            } else {
                keptOut(d, findings.get(0));
            }
        }
        if (again.isEmpty()) return;
        Drafts exact = new Drafts();
        BehaviorDrafter exactly = new BehaviorDrafter(exact, notes, roots, new TreeSet<>(), namedEndpoints, true);
        for (Map.Entry<BehaviorKey, BehaviorStats> m : again) exactly.add(m.getKey(), m.getValue());
        for (Map.Entry<String, Draft> e : exact.entries()) {
            Draft d = e.getValue();
            List<PolicyLinter.Finding> findings = findings(d);
            if (!findings.isEmpty()) {
                keptOut(d, findings.get(0));
                continue;
            }
            Draft existing = drafts.get(e.getKey());
            if (existing == null) {
                drafts.putKey(e.getKey(), d);
            } else {
                boolean generalized = existing.generalized;
                existing.absorb(d);
                existing.generalized = generalized;
            }
        }
    }

    private List<PolicyLinter.Finding> findings(Draft d) {
        if (d.invalidValue() != null) return List.of(); // refused at build with its own note
        List<PolicyLinter.Finding> out = new ArrayList<>();
        for (PolicyLinter.Finding f : PolicyLinter.permissions(d.toRule("gate", roots))) {
            if (f.kind() == PolicyLinter.Kind.BROAD || f.kind() == PolicyLinter.Kind.SECRET) out.add(f);
        }
        return out;
    }

    private void keptOut(Draft d, PolicyLinter.Finding why) {
        List<String> ops = new ArrayList<>();
        for (Operation o : d.operations) ops.add(o.wireName());
        String message = "kept out of the policy: " + d.category.wireName() + " " + String.join(",", ops) + " "
                + d.evidence.examples() + ": lint calls it " + kind(why) + " (" + why.message()
                + "); if the application needs it, write the rule by hand after review";
        notes.warnings.add(message); // in the header too, as every warning
    }

    private static String kind(PolicyLinter.Finding f) {
        return f.kind().name().toLowerCase(Locale.ROOT);
    }
}
