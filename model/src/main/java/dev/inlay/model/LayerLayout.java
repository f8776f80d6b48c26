package dev.inlay.model;

/**
 * The files inlay adds to an image, all in one directory (docs/ARCHITECTURE.md, "The layer in a wrapped image"):
 * {@code inlay wrap} writes them, the agent reads them next to its own jar. Constants only, so that the agent's
 * premain class can use them without loading this class.
 */
public final class LayerLayout {
    /** The directory, absolute, without a trailing slash. */
    public static final String DIR = "/opt/inlay";

    public static final String AGENT_JAR = "inlay-agent.jar";
    /** The agent's settings ({@link AgentSettings}), Java properties. */
    public static final String SETTINGS = "inlay.properties";
    /** The policy as people read and review it; the agent starts from its compiled form in {@link #SETTINGS}. */
    public static final String POLICY = "policy.yaml";
    /** A candidate policy evaluated beside the one in force, with {@code inlay wrap --shadow-policy}. */
    public static final String SHADOW_POLICY = "shadow-policy.yaml";
    /** The original image's CycloneDX 1.6 SBOM, from wrap's pass over the layers (docs/SCAN.md). */
    public static final String SBOM = "sbom.cdx.json";
    /** Drift baseline: {@code sha256<TAB>size<TAB>path} per executable file of the original image. */
    public static final String BASELINE = "baseline.tsv";
    /**
     * Which jar of the image is which package ({@link ComponentMap}): {@code location<TAB>package URL} per line, so that
     * the agent names a library by its package URL (docs/COVERAGE.md, "Attribution").
     */
    public static final String COMPONENTS = "components.tsv";
    /** The hooked JDK classes of the image's JDKs, computed at wrap time ({@link HookPrecomputation}). */
    public static final String HOOKED_CLASSES = "hooked-classes.bin";
    /**
     * The symbolic links under each JDK home of the image, found at wrap time ({@link JdkLinkList}), so that the agent
     * need not walk the JDK's home before main() to find the links out of it.
     */
    public static final String JDK_LINKS = "jdk-links.bin";
    /** A class data sharing archive of the image's JDK, with {@code inlay wrap --startup-archive}. */
    public static final String STARTUP_ARCHIVE = "startup.jsa";
    /** The original image's config and manifest, for {@code inlay unwrap}. */
    public static final String ORIGINAL_CONFIG = "original-config.json";

    public static final String ORIGINAL_MANIFEST = "original-manifest.json";

    public static final String AGENT_JAR_PATH = DIR + "/" + AGENT_JAR;
    public static final String POLICY_PATH = DIR + "/" + POLICY;
    public static final String SHADOW_POLICY_PATH = DIR + "/" + SHADOW_POLICY;
    public static final String SBOM_PATH = DIR + "/" + SBOM;
    public static final String BASELINE_PATH = DIR + "/" + BASELINE;
    public static final String COMPONENTS_PATH = DIR + "/" + COMPONENTS;
    public static final String STARTUP_ARCHIVE_PATH = DIR + "/" + STARTUP_ARCHIVE;

    private LayerLayout() {}
}
