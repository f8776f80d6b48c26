package dev.inlay.scanner.gate;

import dev.inlay.scanner.vuln.Finding;
import dev.inlay.scanner.vuln.ScannedComponent;
import dev.inlay.scanner.vuln.Severity;

import java.util.List;

/**
 * A gate's verdict: {@code blocking} findings at or above the threshold, {@code ignored} findings and the ignore that
 * covered each, {@code expired} ignores (past their day: they no longer apply), {@code unused} ignores that matched
 * nothing, {@code licences} components under a denied licence.
 */
public record Verdict(
        Severity failOn,
        List<Finding> blocking,
        List<Ignored> ignored,
        List<Ignore> expired,
        List<Ignore> unused,
        List<LicenceViolation> licences) {
    public record Ignored(Finding finding, Ignore ignore) {}

    public record LicenceViolation(ScannedComponent component, String licence, String deniedId) {}

    /** Whether the gate trips: exit 1. */
    public boolean tripped() {
        return !blocking.isEmpty() || !licences.isEmpty();
    }

    public boolean isIgnored(Finding f) {
        for (Ignored i : ignored) if (i.finding() == f) return true;
        return false;
    }
}
