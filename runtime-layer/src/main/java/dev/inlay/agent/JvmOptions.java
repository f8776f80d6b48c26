package dev.inlay.agent;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM's options that can name agents, read once for both sides of the agent: premain, to find the jar the boot
 * loader took it from, and the implementation, to know whether another agent may have changed JDK classes before it.
 * The command line ({@code /proc/self/cmdline}, an option per argument), then JAVA_TOOL_OPTIONS, _JAVA_OPTIONS and
 * JDK_JAVA_OPTIONS split at white space. Not the JVM's internal list of its arguments: its package would have to be
 * exported to the agent, which costs milliseconds before main() (the JDK's {@code redefineModule} spins lambda classes).
 *
 * <p>Packaged beside the premain class and in the implementation's class pack: with the premain class on the boot
 * class path (the usual case) the implementation's loader finds this copy first, so the options are read once.
 */
public final class JvmOptions {
    private static final String[] VARIABLES = {"JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"};
    private static final String[] AGENT_PREFIXES = {"-javaagent:", "-agentlib:", "-agentpath:", "-Xrun"};
    private static String[] current;
    private static boolean read;

    private JvmOptions() {}

    /**
     * This JVM's options, or null when some cannot be known: a JVM not started by the java launcher (whoever created
     * it may have handed options over unseen), or no {@code /proc}.
     */
    public static synchronized String[] current() {
        if (!read) {
            current = readCurrent();
            read = true;
        }
        return current == null ? null : current.clone();
    }

    private static String[] readCurrent() {
        if (!"SUN_STANDARD".equals(System.getProperty("sun.java.launcher"))) return null;
        String commandLine;
        try (InputStream in = new FileInputStream("/proc/self/cmdline")) {
            commandLine = new String(in.readNBytes(1 << 20), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
        return commandLine.isEmpty() ? null : of(commandLine, System.getenv());
    }

    /** The options of a command line (arguments separated by NUL) and an environment. */
    public static String[] of(String commandLine, Map<String, String> env) {
        List<String> options = new ArrayList<>();
        for (String argument : commandLine.split("\0")) if (!argument.isEmpty()) options.add(argument);
        for (String variable : VARIABLES) {
            String value = env.get(variable);
            if (value == null) continue;
            for (String option : value.replace('\t', ' ').replace('\n', ' ').split(" ")) {
                if (!option.isEmpty()) options.add(option);
            }
        }
        return options.toArray(new String[0]);
    }

    /**
     * Whether an option may stand for options this reading cannot see: an @argfile, {@code -XX:Flags=},
     * {@code -XX:VMOptionsFile=}, or quoting, which the JVM undoes and a split at white space does not.
     */
    public static boolean opaque(String option) {
        return option.startsWith("@")
                || option.startsWith("-XX:Flags=")
                || option.startsWith("-XX:VMOptionsFile=")
                || option.indexOf('"') >= 0
                || option.indexOf('\'') >= 0;
    }

    /**
     * The jar a Java agent option names, without the agent's arguments: {@code -javaagent:JAR[=ARGS]}, or the same
     * through the JDK's library, {@code -agentlib:instrument=JAR[=ARGS]} (what {@code inlay wrap} writes for a class-path
     * launch: dev.inlay.model.AgentFlag); null for any other option.
     */
    public static String javaAgentJar(String option) {
        String rest;
        if (option.startsWith("-javaagent:")) rest = option.substring("-javaagent:".length());
        else if (option.startsWith("-agentlib:instrument=")) rest = option.substring("-agentlib:instrument=".length());
        else return null;
        int args = rest.indexOf('=');
        return args < 0 ? rest : rest.substring(0, args);
    }

    /** Whether an option loads an agent: {@code -javaagent:}, {@code -agentlib:}, {@code -agentpath:}, {@code -Xrun}. */
    public static boolean namesAgent(String option) {
        for (String prefix : AGENT_PREFIXES) if (option.startsWith(prefix)) return true;
        return false;
    }
}
