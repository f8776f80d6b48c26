package dev.inlay.scanner.runtime;

/** Whether a component's code was loaded in the runs an {@code inlay scan --runtime} read (docs/SCAN.md). */
public enum Loaded {
    /** Classes were loaded from the component's location (and, in a jar shared with others, from its packages). */
    TRUE("true"),
    /** Nothing the SBOM knows of the component was a code source: its location, or its packages, never loaded. */
    UNKNOWN("unknown"),
    /** Its location (or, in a shared jar, every loaded package) is accounted for and none of its code loaded. */
    FALSE("false");

    private final String label;

    Loaded(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
