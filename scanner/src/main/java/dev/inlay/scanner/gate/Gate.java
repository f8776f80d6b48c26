package dev.inlay.scanner.gate;

import dev.inlay.scanner.vuln.Finding;
import dev.inlay.scanner.vuln.ScanResult;
import dev.inlay.scanner.vuln.ScannedComponent;
import dev.inlay.scanner.vuln.Severity;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A pipeline's gate over a scan: it trips on a finding at or above {@code failOn} that no ignore covers, and on a
 * component under a denied licence. Findings of unknown severity trip no severity threshold (they are reported).
 * An ignore applies to every finding that goes by its id (id, alias or related id) through its {@code until} day;
 * past it, it no longer applies and the verdict says so.
 */
public final class Gate {
    private final Severity failOn;
    private final List<Ignore> ignores;
    private final Set<String> deniedLicences;
    private final LocalDate today;

    /** @param failOn the lowest severity that trips, or null for none; {@code deniedLicences} SPDX ids */
    public Gate(Severity failOn, List<Ignore> ignores, Set<String> deniedLicences, LocalDate today) {
        this.failOn = failOn;
        this.ignores = List.copyOf(ignores);
        Set<String> denied = new LinkedHashSet<>();
        for (String d : deniedLicences) denied.add(d.toLowerCase(Locale.ROOT));
        this.deniedLicences = denied;
        this.today = today;
    }

    public Verdict judge(ScanResult scan) {
        List<Finding> blocking = new ArrayList<>();
        List<Verdict.Ignored> ignored = new ArrayList<>();
        Set<Ignore> used = new LinkedHashSet<>();
        List<Ignore> expired = new ArrayList<>();
        for (Ignore i : ignores) if (!i.appliesOn(today)) expired.add(i);
        for (Finding f : scan.findings()) {
            Ignore applied = null;
            for (Ignore i : ignores) {
                if (i.appliesOn(today) && f.knownAs(i.id())) {
                    applied = i;
                    break;
                }
            }
            if (applied != null) {
                used.add(applied);
                ignored.add(new Verdict.Ignored(f, applied));
            } else if (failOn != null && f.severity().atLeast(failOn)) {
                blocking.add(f);
            }
        }
        List<Ignore> unused = new ArrayList<>();
        for (Ignore i : ignores) if (i.appliesOn(today) && !used.contains(i)) unused.add(i);
        List<Verdict.LicenceViolation> licences = new ArrayList<>();
        if (!deniedLicences.isEmpty()) {
            for (ScannedComponent c : scan.components()) {
                for (String l : c.licences()) {
                    String denied = Licences.denied(l, deniedLicences);
                    if (denied != null) licences.add(new Verdict.LicenceViolation(c, l, denied));
                }
            }
        }
        return new Verdict(failOn, blocking, ignored, expired, unused, licences);
    }
}
