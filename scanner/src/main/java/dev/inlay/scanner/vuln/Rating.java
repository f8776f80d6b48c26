package dev.inlay.scanner.vuln;

import us.springett.cvss.Cvss;

/**
 * How severe one advisory is and where that came from: {@code source} is {@code CVSS_V3} (the base score computed
 * from the record's vector with us.springett:cvss-calculator), {@code database} (the record's own
 * {@code database_specific}/{@code ecosystem_specific} severity, or a {@code severity[]} entry of a type such as
 * {@code Ubuntu} that is a word), {@code CVSS_V2}, or {@code none}. CVSS v4 vectors are kept and shown but not
 * scored: no library in Maven Central computes a v4 score, so a v4-only record takes the database's severity.
 */
public record Rating(Severity severity, Double score, String vector, String source) {
    public static final Rating UNRATED = new Rating(Severity.UNKNOWN, null, null, "none");

    public static Rating of(OsvRecord record, OsvRecord.Affected affected) {
        String v4 = null;
        String v2 = null;
        String word = null;
        for (OsvRecord.SeverityScore s : record.severity()) {
            switch (s.type()) {
                case "CVSS_V3" -> {
                    Double score = baseScore(s.score());
                    if (score != null) return new Rating(Severity.ofScore(score), score, s.score(), "CVSS_V3");
                }
                case "CVSS_V4" -> v4 = s.score();
                case "CVSS_V2" -> v2 = s.score();
                default -> word = Severity.ofName(s.score()) == Severity.UNKNOWN ? word : s.score();
            }
        }
        String own = affected != null && affected.databaseSeverity() != null
                ? affected.databaseSeverity()
                : record.databaseSeverity() != null ? record.databaseSeverity() : word;
        if (own != null && Severity.ofName(own) != Severity.UNKNOWN) {
            return new Rating(Severity.ofName(own), null, v4, "database");
        }
        if (v2 != null) {
            Double score = baseScore(v2);
            if (score != null) return new Rating(Severity.ofScore(score), score, v2, "CVSS_V2");
        }
        return v4 == null ? UNRATED : new Rating(Severity.UNKNOWN, null, v4, "none");
    }

    private static Double baseScore(String vector) {
        try {
            Cvss cvss = Cvss.fromVector(vector);
            return cvss == null ? null : cvss.calculateScore().getBaseScore();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The higher of two ratings; between equal severities the one with a score. */
    public Rating max(Rating other) {
        if (other.severity.ordinal() != severity.ordinal()) {
            int mine = severity == Severity.UNKNOWN ? Integer.MAX_VALUE : severity.ordinal();
            int theirs = other.severity == Severity.UNKNOWN ? Integer.MAX_VALUE : other.severity.ordinal();
            return theirs < mine ? other : this;
        }
        if (score == null && other.score != null) return other;
        if (score != null && other.score != null && other.score > score) return other;
        return this;
    }
}
