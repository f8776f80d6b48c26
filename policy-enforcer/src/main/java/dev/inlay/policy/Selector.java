package dev.inlay.policy;

/**
 * The fields of a rule that say which resources it covers. Each category accepts a fixed set of selectors; a rule
 * matches when every selector it names matches (and, within one selector, any of its values matches).
 */
public enum Selector {
    /** Absolute path patterns: exact, {@code *} within a segment, {@code /dir/**} for a subtree. */
    PATHS("paths"),
    /** Host names, exact or {@code *.example.com} (any subdomain, not the apex). */
    HOSTS("hosts"),
    /** IPv4 or IPv6 addresses and CIDR blocks. */
    CIDRS("cidrs"),
    /** Ports and port ranges ({@code 443}, {@code 8000-8100}). */
    PORTS("ports"),
    /** {@code tcp} and/or {@code udp}. */
    PROTOCOLS("protocols"),
    /** DNS name patterns, as for {@link #HOSTS}. */
    NAMES("names"),
    /** Executable path patterns, as for {@link #PATHS}. */
    EXECUTABLES("executables"),
    /** Argument patterns matched by position; a final {@code **} matches any remaining arguments; {@code []} none. */
    ARGS("args"),
    /** JNDI URL schemes ({@code ldap}, {@code rmi}, {@code java}...). */
    SCHEMES("schemes"),
    /** Class name patterns: {@code java.util.*} (one package), {@code com.example.**} (subpackages). */
    CLASSES("classes"),
    /** Class loader class name patterns, as for {@link #CLASSES}. */
    LOADERS("loaders"),
    /**
     * Where the calling code came from: path patterns, as for {@link #PATHS}, of the jar or directory holding the
     * class that asks for a capability (its code source).
     */
    CALLERS("callers"),
    /**
     * Which code the rule is for (docs/POLICY.md, "Components"): patterns over the id of the component an operation
     * is attributed to, a package URL ({@code pkg:maven/org.apache.logging.log4j/log4j-core} for every version,
     * {@code ...@2.*} for some), an absolute jar path pattern, or {@code app}. Valid in every category; a rule with it
     * does not apply to operations of other components nor to the JVM itself.
     */
    COMPONENTS("components");

    private final String yamlName;

    Selector(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Selector fromYaml(String s) {
        for (Selector sel : values()) {
            if (sel.yamlName.equals(s)) return sel;
        }
        return null;
    }
}
