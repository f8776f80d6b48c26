package dev.inlay.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's settings as {@code inlay wrap} records them in {@link LayerLayout#SETTINGS} and the agent reads them,
 * and the names under which an operator overrides them (agent arguments, {@code INLAY_*} variables; precedence in
 * docs/ARCHITECTURE.md, "Agent configuration"). Every key is spelled here and nowhere else: the writer and the reader
 * use the same methods.
 *
 * <p>Loaded by the agent before the application's {@code main()}: a map and plain methods, no lambdas, no regular
 * expressions. The key and variable names are constants, so that the premain class, which cannot load this class
 * (it is packed with the implementation), compiles them in.
 */
public final class AgentSettings {
    // ---- what the operator may set too (agent arguments, INLAY_* variables)
    public static final String MODE = "mode";
    public static final String POLICY = "policy";
    public static final String SINK = "sink";
    public static final String PROFILE_DIR = "profileDir";
    public static final String PROFILE_INTERVAL = "profileInterval";
    public static final String FAIL_OPEN = "failOpen";
    public static final String BASELINE = "baseline";
    public static final String POLICY_POLL = "policyPoll";
    public static final String EVENT_WINDOW = "eventWindow";
    public static final String MAX_BEHAVIORS = "maxBehaviors";
    public static final String JVM_BASELINE = "jvmBaseline";
    public static final String MAX_PER_DIRECTORY = "maxPerDirectory";
    public static final String STATUS_INTERVAL = "statusInterval";
    public static final String SINK_TIMEOUT = "sinkTimeout";
    public static final String SHUTDOWN_TIMEOUT = "shutdownTimeout";
    /** A candidate policy evaluated beside the one in force (docs/DEPLOY.md, "Promoting a policy safely"). */
    public static final String SHADOW_POLICY = "shadowPolicy";
    /** {@code enforce} (the default) or {@code monitor}: what a denial during start-up does (docs/DEPLOY.md). */
    public static final String STARTUP = "startup";
    /** How long start-up lasts at most, in milliseconds. */
    public static final String STARTUP_WINDOW = "startupWindow";
    /** The image's component map ({@link LayerLayout#COMPONENTS}): which jar is which package (docs/COVERAGE.md). */
    public static final String COMPONENTS = "components";

    /** The keys an agent argument or an {@code INLAY_*} variable ({@link #envName}) may set. */
    public static String[] operatorKeys() {
        return new String[] {
            MODE,
            POLICY,
            SINK,
            PROFILE_DIR,
            PROFILE_INTERVAL,
            FAIL_OPEN,
            BASELINE,
            POLICY_POLL,
            EVENT_WINDOW,
            MAX_BEHAVIORS,
            JVM_BASELINE,
            MAX_PER_DIRECTORY,
            STATUS_INTERVAL,
            SINK_TIMEOUT,
            SHUTDOWN_TIMEOUT,
            SHADOW_POLICY,
            STARTUP,
            STARTUP_WINDOW,
            COMPONENTS
        };
    }

    // ---- what only inlay wrap records (the image's facts and the policy's pins)
    public static final String POLICY_DIGEST = "policyDigest";
    /** The policy compiled by {@code inlay wrap}, base64: what the agent starts from (docs/POLICY.md). */
    public static final String COMPILED_POLICY = "compiledPolicy";
    /** The candidate's digest and compiled form, pinned as the policy's are. */
    public static final String SHADOW_POLICY_DIGEST = "shadowPolicyDigest";

    public static final String SHADOW_COMPILED_POLICY = "shadowCompiledPolicy";
    /** The original image's SBOM in the layer, and its digest (docs/SCAN.md). */
    public static final String SBOM = "sbom";

    public static final String SBOM_DIGEST = "sbomDigest";
    public static final String AGENT_DIGEST = "agentDigest";
    public static final String IMAGE_CONFIG_DIGEST = "imageConfigDigest";
    public static final String IMAGE_MANIFEST_DIGEST = "imageManifestDigest";
    public static final String PLATFORM = "platform";
    public static final String INLAY_VERSION = "inlayVersion";
    /** The original image's labels, each under {@code label.NAME}. */
    public static final String LABEL_PREFIX = "label.";

    // ---- environment variables: INLAY_ and the key in upper case, words split by '_' (envName)
    public static final String ENV_PREFIX = "INLAY_";
    public static final String ENV_MODE = "INLAY_MODE";
    public static final String ENV_POLICY = "INLAY_POLICY";
    public static final String ENV_FAIL_OPEN = "INLAY_FAIL_OPEN";
    /** The policy itself, base64; overrides the file. No key of its own. */
    public static final String ENV_POLICY_BASE64 = "INLAY_POLICY_B64";
    /** {@code true}: the agent prints every hook it installs or fails to install on stderr. */
    public static final String ENV_DEBUG = "INLAY_DEBUG";
    /** The image reference as deployed, set by {@code inlay deploy}: only the deployment knows it. */
    public static final String ENV_IMAGE = "INLAY_IMAGE";

    /** Insertion order is the file's order, so that the same inputs give the same file (and image digest). */
    private final Map<String, String> values;

    public AgentSettings() {
        this.values = new LinkedHashMap<>();
    }

    private AgentSettings(Map<String, String> values) {
        this.values = values;
    }

    /** The settings in a loaded {@link LayerLayout#SETTINGS}, values as they are; keys it does not know are kept. */
    public static AgentSettings of(Properties file) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : file.stringPropertyNames()) values.put(key, file.getProperty(key));
        return new AgentSettings(values);
    }

    /** {@code profileDir} becomes {@code INLAY_PROFILE_DIR}. */
    public static String envName(String key) {
        StringBuilder name = new StringBuilder(ENV_PREFIX);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0) name.append('_');
            name.append(Character.toUpperCase(c));
        }
        return name.toString();
    }

    public String get(String key) {
        return values.get(key);
    }

    private AgentSettings set(String key, String value) {
        if (value != null) values.put(key, value);
        return this;
    }

    public String mode() {
        return get(MODE);
    }

    public AgentSettings mode(String mode) {
        return set(MODE, mode);
    }

    public String policy() {
        return get(POLICY);
    }

    public AgentSettings policy(String path) {
        return set(POLICY, path);
    }

    public String policyDigest() {
        return get(POLICY_DIGEST);
    }

    public AgentSettings policyDigest(String digest) {
        return set(POLICY_DIGEST, digest);
    }

    public String compiledPolicy() {
        return get(COMPILED_POLICY);
    }

    public AgentSettings compiledPolicy(String base64) {
        return set(COMPILED_POLICY, base64);
    }

    public String shadowPolicy() {
        return get(SHADOW_POLICY);
    }

    public AgentSettings shadowPolicy(String path) {
        return set(SHADOW_POLICY, path);
    }

    public String shadowPolicyDigest() {
        return get(SHADOW_POLICY_DIGEST);
    }

    public AgentSettings shadowPolicyDigest(String digest) {
        return set(SHADOW_POLICY_DIGEST, digest);
    }

    public String shadowCompiledPolicy() {
        return get(SHADOW_COMPILED_POLICY);
    }

    public AgentSettings shadowCompiledPolicy(String base64) {
        return set(SHADOW_COMPILED_POLICY, base64);
    }

    public String sbom() {
        return get(SBOM);
    }

    public AgentSettings components(String path) {
        return set(COMPONENTS, path);
    }

    public AgentSettings sbom(String path) {
        return set(SBOM, path);
    }

    public String sbomDigest() {
        return get(SBOM_DIGEST);
    }

    public AgentSettings sbomDigest(String digest) {
        return set(SBOM_DIGEST, digest);
    }

    public String agentDigest() {
        return get(AGENT_DIGEST);
    }

    public AgentSettings agentDigest(String digest) {
        return set(AGENT_DIGEST, digest);
    }

    public String baseline() {
        return get(BASELINE);
    }

    public AgentSettings baseline(String path) {
        return set(BASELINE, path);
    }

    public String imageConfigDigest() {
        return get(IMAGE_CONFIG_DIGEST);
    }

    public AgentSettings imageConfigDigest(String digest) {
        return set(IMAGE_CONFIG_DIGEST, digest);
    }

    public String imageManifestDigest() {
        return get(IMAGE_MANIFEST_DIGEST);
    }

    public AgentSettings imageManifestDigest(String digest) {
        return set(IMAGE_MANIFEST_DIGEST, digest);
    }

    public String platform() {
        return get(PLATFORM);
    }

    public AgentSettings platform(String platform) {
        return set(PLATFORM, platform);
    }

    public String inlayVersion() {
        return get(INLAY_VERSION);
    }

    public AgentSettings inlayVersion(String version) {
        return set(INLAY_VERSION, version);
    }

    /** The original image's labels, by name, in the file's order. */
    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(LABEL_PREFIX))
                labels.put(e.getKey().substring(LABEL_PREFIX.length()), e.getValue());
        }
        return labels;
    }

    public AgentSettings label(String name, String value) {
        return set(LABEL_PREFIX + name, value);
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /**
     * The file's text: one {@code key=value} line per setting after a comment line, ASCII only (anything else as
     * {@code \}{@code uXXXX}), so that {@link Properties#load(java.io.InputStream)} reads back exactly these values.
     */
    public String write(String comment) {
        StringBuilder sb = new StringBuilder();
        if (comment != null) sb.append("# ").append(comment).append('\n');
        for (Map.Entry<String, String> e : values.entrySet()) {
            sb.append(e.getKey()).append('=');
            String value = e.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\') sb.append("\\\\");
                else if (c == '\n') sb.append("\\n");
                else if (c == '\r') sb.append("\\r");
                else if (c < 0x20 || c > 0x7e) unicodeEscape(sb, c);
                else sb.append(c);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u");
        String hex = Integer.toHexString(c);
        for (int i = hex.length(); i < 4; i++) sb.append('0');
        sb.append(hex);
    }
}
