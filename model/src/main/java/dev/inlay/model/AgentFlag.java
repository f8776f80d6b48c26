package dev.inlay.model;

import java.util.Locale;

/**
 * The JVM option that loads inlay's agent, and the variable that carries it (docs/WRAPPING.md, "How the agent is
 * loaded"): {@code inlay wrap} chooses one per image, {@code inlay deploy} and the admission check accept either.
 *
 * <p>Both load the same agent through the JDK's {@code instrument} library with the same premain. They differ in the
 * module graph: {@code -javaagent} also adds {@code java.instrument} to the JVM's root modules, which the JDK's class
 * data sharing archive was not made with, so the JVM resolves the whole module graph at every start instead of mapping
 * the archived one (docs/BENCHMARKS.md, "How the agent is loaded"). {@code -agentlib:instrument=} adds nothing: a
 * class-path or {@code -jar} launch has {@code java.instrument} among its default root modules anyway, but a launch of
 * a named module ({@code -m}) or with {@code --limit-modules} may not, and then the JVM refuses to start. The JDK's
 * tools ({@code jcmd}, {@code keytool}...) are such launches, so {@code -agentlib:instrument=} goes in
 * {@code JDK_JAVA_OPTIONS}, which only the {@code java} launcher reads, never in {@code JAVA_TOOL_OPTIONS}, which every
 * JVM reads.
 */
public enum AgentFlag {
    /** {@code -agentlib:instrument=}: the archived module graph stays in use; a class-path or {@code -jar} launch. */
    AGENTLIB("-agentlib:instrument=", "JDK_JAVA_OPTIONS"),
    /** {@code -javaagent:}: any launch, the module graph resolved at every start. */
    JAVAAGENT("-javaagent:", "JAVA_TOOL_OPTIONS");

    private final String prefix;
    private final String variable;

    AgentFlag(String prefix, String variable) {
        this.prefix = prefix;
        this.variable = variable;
    }

    /**
     * The environment variable the option is appended to: {@code JDK_JAVA_OPTIONS} for {@link #AGENTLIB} (the
     * {@code java} launcher's alone: a JDK tool started with it would not start), {@code JAVA_TOOL_OPTIONS} for
     * {@link #JAVAAGENT} (every JVM, whatever launched it; the agent leaves the JDK's tools alone in premain).
     */
    public String variable() {
        return variable;
    }

    /** The option's text before the jar's path. */
    public String prefix() {
        return prefix;
    }

    /** The option that loads the agent jar at {@code jarPath}. */
    public String option(String jarPath) {
        return prefix + jarPath;
    }

    /** The option that loads the layer's agent, {@value LayerLayout#AGENT_JAR_PATH}. */
    public String layerOption() {
        return option(LayerLayout.AGENT_JAR_PATH);
    }

    /** Both options that load the layer's agent, for messages: "{@code -agentlib:...} or {@code -javaagent:...}". */
    public static String layerOptions() {
        return AGENTLIB.layerOption() + " or " + JAVAAGENT.layerOption();
    }

    /** As written on the command line and in the image's label: {@code agentlib} or {@code javaagent}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The flag of a wire name; {@link IllegalArgumentException} naming the known ones for anything else. */
    public static AgentFlag fromWireName(String name) {
        for (AgentFlag flag : values()) if (flag.wireName().equals(name)) return flag;
        throw new IllegalArgumentException("unknown agent flag '" + name + "' (known: agentlib, javaagent)");
    }

    /**
     * Whether JVM options (a {@code JAVA_TOOL_OPTIONS} value, split at white space) load the layer's agent with either
     * flag, with or without agent arguments after the jar ({@code =mode=learn}).
     */
    public static boolean loadsLayerAgent(String jvmOptions) {
        for (String token : jvmOptions.trim().split("\\s+")) {
            for (AgentFlag flag : values()) {
                String option = flag.layerOption();
                if (token.equals(option) || token.startsWith(option + "=")) return true;
            }
        }
        return false;
    }
}
