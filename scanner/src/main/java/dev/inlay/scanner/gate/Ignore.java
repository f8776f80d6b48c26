package dev.inlay.scanner.gate;

import java.time.LocalDate;

/**
 * An accepted finding: the id it goes by (any of a finding's ids or aliases), why it is accepted (mandatory: an ignore
 * is a reviewed decision), and optionally the last day it holds; {@code origin} names where it was written.
 */
public record Ignore(String id, String reason, LocalDate until, String origin) {
    public Ignore {
        if (id == null || id.isBlank()) throw new GateInputException(origin + ": an ignore without an id");
        if (reason == null || reason.isBlank()) {
            throw new GateInputException(origin + ": the ignore of " + id + " has no reason (each ignore needs one)");
        }
    }

    /** Whether it still applies on {@code today}: it holds through its {@code until} day. */
    public boolean appliesOn(LocalDate today) {
        return until == null || !today.isAfter(until);
    }
}
