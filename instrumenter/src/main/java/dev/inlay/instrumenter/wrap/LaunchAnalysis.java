package dev.inlay.instrumenter.wrap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.model.AgentFlag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How an image's entrypoint and cmd start Java, where {@code JAVA_TOOL_OPTIONS} will not reach the JVM ({@code env -i},
 * a script that unsets or overwrites it, a native binary), and which {@link AgentFlag} loads the agent:
 * {@link AgentFlag#AGENTLIB} only for a launch read to the java command line (a {@code java} entrypoint, or a shell
 * command or script that runs java) with no module option seen in it, its scripts or the image's environment, and
 * nothing there that handles {@code JDK_JAVA_OPTIONS} (its variable) itself; {@link AgentFlag#JAVAAGENT} otherwise
 * (docs/WRAPPING.md, "How the agent is loaded").
 *
 * @param agentFlag       the flag {@code inlay wrap} writes unless told otherwise
 * @param agentFlagReason why, in a sentence
 */
public record LaunchAnalysis(
        List<String> argv, String launch, List<String> warnings, AgentFlag agentFlag, String agentFlagReason) {
    /** Process supervisors that pass the environment on and run the rest of the command line. */
    private static final Set<String> PASS_THROUGH =
            Set.of("tini", "tini-static", "dumb-init", "gosu", "su-exec", "catatonit", "exec");

    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "zsh", "ksh");
    private static final Pattern UNSET = Pattern.compile("unset\\s+(-v\\s+)?([A-Za-z_0-9]+\\s+)*JAVA_TOOL_OPTIONS\\b");
    private static final Pattern ENV_CLEAR = Pattern.compile("\\benv\\s+(-[a-zA-Z]*i\\b|--ignore-environment\\b|-\\s)");
    private static final Pattern OVERWRITE =
            Pattern.compile("(^|[\\s;])(export\\s+)?JAVA_TOOL_OPTIONS=(?![^\\n]*\\$\\{?JAVA_TOOL_OPTIONS)");
    private static final Pattern JAVA_CALL = Pattern.compile("(^|[\\s/\"'])java(\\s|$|\")");
    /**
     * Options of a launch whose root modules may leave out {@code java.instrument}: a named main module, a module path,
     * a limited or upgraded module set. The short ones are common words in scripts ({@code mkdir -p}), so there they
     * count only among a java command's own options or on a line about a JAVA variable; the long ones count anywhere.
     */
    private static final Set<String> MODULE_OPTIONS =
            Set.of("--module", "--module-path", "--limit-modules", "--upgrade-module-path");

    private static final Set<String> SHORT_MODULE_OPTIONS = Set.of("-m", "-p");
    /** The java launcher's options whose value is the next word. */
    private static final Set<String> OPTIONS_WITH_A_VALUE = Set.of(
            "-cp",
            "-classpath",
            "--class-path",
            "-p",
            "--module-path",
            "--upgrade-module-path",
            "--limit-modules",
            "--add-modules",
            "--add-opens",
            "--add-exports",
            "--add-reads",
            "--patch-module",
            "--enable-native-access");
    /** The argument files Jib's entrypoint names: a class path and a main class. */
    private static final Set<String> JIB_ARGUMENT_FILES =
            Set.of("@/app/jib-classpath-file", "@/app/jib-main-class-file");

    private static final Pattern TOKEN_SEPARATORS = Pattern.compile("[\\s\"'`;|&()]+");

    public static LaunchAnalysis analyze(Image image, ImageFilesystem fs) {
        List<String> argv = argv(image);
        List<String> warnings = new ArrayList<>();
        boolean[] readToJava = new boolean[1];
        String launch = describe(argv, fs, pathVariable(image), warnings, 0, readToJava);
        List<String> moduleSigns = moduleSigns(image, fs, argv);
        AgentFlag flag;
        String reason;
        if (!moduleSigns.isEmpty()) {
            flag = AgentFlag.JAVAAGENT;
            reason = "a launch with modules is possible (" + String.join("; ", moduleSigns) + ")";
        } else if (!readToJava[0]) {
            flag = AgentFlag.JAVAAGENT;
            reason = "the java command line is not known (" + launch + ")";
        } else {
            flag = AgentFlag.AGENTLIB;
            reason = "a class-path launch (" + launch + "): the JDK's archived module graph stays in use";
        }
        return new LaunchAnalysis(argv, launch, List.copyOf(warnings), flag, reason);
    }

    /**
     * Where the entrypoint and cmd, the image's environment or a script they name mention an option of a module
     * launch ({@link #MODULE_OPTIONS}), or something that makes the launch unreadable or handles
     * {@code JDK_JAVA_OPTIONS} (which carries {@code -agentlib:instrument=}) itself.
     */
    static List<String> moduleSigns(Image image, ImageFilesystem fs, List<String> argv) {
        List<String> found = new ArrayList<>();
        for (String option : moduleOptionsIn(argv)) found.add("the entrypoint and cmd have " + option);
        for (String word : argv) {
            // An argument file can hold any option; Jib's two hold a class path and a main class.
            if (word.startsWith("@") && !JIB_ARGUMENT_FILES.contains(word))
                found.add("the entrypoint and cmd name the argument file " + word + ", not read");
            if (word.contains(AgentFlag.AGENTLIB.variable()))
                found.add("the entrypoint and cmd handle " + AgentFlag.AGENTLIB.variable());
        }
        for (Map.Entry<String, String> v : environment(image).entrySet())
            textSigns("the environment variable " + v.getKey(), v.getValue(), true, found);
        for (Map.Entry<String, String> script : scriptsNamed(image, fs, argv).entrySet())
            scriptSigns(script.getKey(), script.getValue(), found);
        return found;
    }

    /** The image's environment, name to value, in the config's order. */
    static Map<String, String> environment(Image image) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (JsonNode e : image.config().path("config").path("Env")) {
            String entry = e.asText();
            int eq = entry.indexOf('=');
            if (eq > 0) variables.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return variables;
    }

    /**
     * The scripts among the words of a command line (each word that is an executable script of the image on its
     * PATH), as "the script /real/path" to their text; none without the layers.
     */
    static Map<String, String> scriptsNamed(Image image, ImageFilesystem fs, List<String> argv) {
        Map<String, String> scripts = new LinkedHashMap<>();
        if (fs == null) return scripts;
        String path = pathVariable(image);
        for (String word : argv) {
            String command = word.startsWith("-") ? null : fs.which(word, path);
            ImageFilesystem.Executable exe = command == null ? null : fs.executable(command);
            if (exe != null && exe.scriptText() != null)
                scripts.put("the script " + fs.resolve(command), exe.scriptText());
        }
        return scripts;
    }

    private static void scriptSigns(String where, String script, List<String> found) {
        if (script.contains(AgentFlag.AGENTLIB.variable()))
            found.add(where + " handles " + AgentFlag.AGENTLIB.variable());
        for (String option : scriptOptions(script)) found.add(where + " has " + option);
    }

    /**
     * A script's module options, continued lines joined: long ones anywhere; short ones among a java command's own
     * options, or anywhere on a line about a JAVA variable ({@code JAVA_OPTS="-p /mods"}).
     */
    private static List<String> scriptOptions(String script) {
        List<String> found = new ArrayList<>();
        for (String line : script.replace("\\\n", " ").split("\n")) {
            List<String> options = moduleOptionsIn(line, false);
            List<String> words = List.of(TOKEN_SEPARATORS.split(line.trim()));
            int java = javaCommand(words);
            if (java >= 0) options.addAll(jvmOptions(words, java + 1));
            else if (line.contains("JAVA")) options.addAll(moduleOptionsIn(line, true));
            for (String option : options) if (!found.contains(option)) found.add(option);
        }
        return found;
    }

    /** The index of the last {@code java} command among the words, or -1. */
    private static int javaCommand(List<String> words) {
        int java = -1;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("java") || word.endsWith("/java")) java = i;
        }
        return java;
    }

    /**
     * The module options among a java command's options, from {@code start} up to the jar or main class (the rest are
     * the application's arguments); a shell variable there ({@code $JAVA_OPTS}) is passed over.
     */
    private static List<String> jvmOptions(List<String> words, int start) {
        List<String> found = new ArrayList<>();
        for (int i = start; i < words.size(); i++) {
            String word = words.get(i);
            if (word.startsWith("$")) continue;
            if (word.equals("-jar") || !word.startsWith("-")) break;
            String option = moduleOption(word, true);
            if (option != null && !found.contains(option)) found.add(option);
            if (word.indexOf('=') < 0 && OPTIONS_WITH_A_VALUE.contains(word)) i++;
        }
        return found;
    }

    private static void textSigns(String where, String text, boolean shortOnes, List<String> found) {
        for (String option : moduleOptionsIn(text, shortOnes)) {
            String sign = where + " has " + option;
            if (!found.contains(sign)) found.add(sign);
        }
    }

    /**
     * The options of a launch with modules in a command line (an image's entrypoint and cmd, a container's command and
     * args), each once: a JVM launched so may not resolve {@code java.instrument} unless the agent is loaded with
     * {@code -javaagent}. A word with white space in it is a shell's script ({@code sh -c}), read as one; after a
     * {@code java} command the JVM's options are read up to the jar or main class, since the application's own
     * arguments ({@code -p 8080}) are not the JVM's; without one, every word counts (a launcher may pass any on).
     */
    public static List<String> moduleOptionsIn(List<String> commandLine) {
        List<String> found = new ArrayList<>();
        for (String word : commandLine) {
            if (word.indexOf(' ') >= 0 || word.indexOf('\n') >= 0) {
                for (String option : scriptOptions(word)) if (!found.contains(option)) found.add(option);
            }
        }
        int java = javaCommand(commandLine);
        List<String> options;
        if (java >= 0) {
            options = jvmOptions(commandLine, java + 1);
        } else {
            // No java command: a launcher or script gets these words and may hand any of them to java.
            options = new ArrayList<>();
            for (String word : commandLine) if (word.indexOf(' ') < 0) options.addAll(moduleOptionsIn(word, true));
        }
        for (String option : options) if (!found.contains(option)) found.add(option);
        return found;
    }

    private static List<String> moduleOptionsIn(String text, boolean shortOnes) {
        List<String> found = new ArrayList<>();
        for (String word : TOKEN_SEPARATORS.split(text)) {
            // A shell assignment's value (MODS=--module-path) is words of its own.
            int assignment = word.startsWith("-") ? -1 : word.indexOf('=');
            String option = moduleOption(assignment < 0 ? word : word.substring(assignment + 1), shortOnes);
            if (option != null && !found.contains(option)) found.add(option);
        }
        return found;
    }

    /** The module option a word is ({@code --module-path=/m} is {@code --module-path}), or null. */
    private static String moduleOption(String word, boolean shortOnes) {
        int eq = word.indexOf('=');
        String option = eq < 0 ? word : word.substring(0, eq);
        return MODULE_OPTIONS.contains(option) || (shortOnes && SHORT_MODULE_OPTIONS.contains(word)) ? option : null;
    }

    /** Entrypoint then cmd: the command line the container runs. */
    static List<String> argv(Image image) {
        JsonNode c = image.config().path("config");
        List<String> argv = new ArrayList<>();
        c.path("Entrypoint").forEach(n -> argv.add(n.asText()));
        c.path("Cmd").forEach(n -> argv.add(n.asText()));
        return List.copyOf(argv);
    }

    /** The config's PATH, or null for the runtime's default. */
    static String pathVariable(Image image) {
        String path = null;
        for (JsonNode e : image.config().path("config").path("Env")) {
            if (e.asText().startsWith("PATH=")) path = e.asText().substring(5);
        }
        return path;
    }

    /** @param readToJava set when the description reaches a java command line (directly, or in a script's text) */
    private static String describe(
            List<String> argv,
            ImageFilesystem fs,
            String path,
            List<String> warnings,
            int depth,
            boolean[] readToJava) {
        if (argv.isEmpty()) return "no entrypoint or cmd: Java starts only if the run command names it";
        if (depth > 8) return "unknown (too many nested launchers)";
        String cmd = argv.get(0);
        String base = cmd.substring(cmd.lastIndexOf('/') + 1);
        if (base.equals("env")) {
            int i = 1;
            for (; i < argv.size(); i++) {
                String a = argv.get(i);
                if (a.equals("-i")
                        || a.equals("-")
                        || a.equals("--ignore-environment")
                        || (a.startsWith("-") && !a.startsWith("--") && a.contains("i") && !a.startsWith("-u"))) {
                    warnings.add("the entrypoint runs `env " + a + "`, which clears the environment: JAVA_TOOL_OPTIONS "
                            + "(and with it the inlay agent) will not reach the JVM");
                } else if ((a.equals("-u") || a.equals("--unset"))
                        && i + 1 < argv.size()
                        && argv.get(i + 1).equals("JAVA_TOOL_OPTIONS")) {
                    warnings.add(
                            "the entrypoint runs `env -u JAVA_TOOL_OPTIONS`: the inlay agent will not reach the JVM");
                    i++;
                } else if (a.equals("--unset=JAVA_TOOL_OPTIONS")) {
                    warnings.add("the entrypoint unsets JAVA_TOOL_OPTIONS: the inlay agent will not reach the JVM");
                } else if (a.startsWith("-") || a.contains("=")) {
                    if (a.startsWith("JAVA_TOOL_OPTIONS=")) {
                        warnings.add("the entrypoint sets JAVA_TOOL_OPTIONS itself (`env " + a
                                + "`): the inlay agent is dropped");
                    }
                } else break;
            }
            return "env: " + describe(argv.subList(i, argv.size()), fs, path, warnings, depth + 1, readToJava);
        }
        if (PASS_THROUGH.contains(base)) {
            int i = 1;
            while (i < argv.size() && argv.get(i).startsWith("-")) {
                if (argv.get(i).equals("--")) {
                    i++;
                    break;
                }
                i++;
            }
            if (base.equals("gosu") || base.equals("su-exec")) i = Math.min(i + 1, argv.size());
            return base + ": " + describe(argv.subList(i, argv.size()), fs, path, warnings, depth + 1, readToJava);
        }
        if (SHELLS.contains(base) && argv.size() >= 3 && argv.get(1).equals("-c")) {
            String script = argv.get(2);
            scriptWarnings("the shell command", script, warnings);
            boolean runsJava = JAVA_CALL.matcher(script).find();
            readToJava[0] |= runsJava;
            return "shell command (" + base + " -c)" + (runsJava ? " that runs java" : "");
        }
        if (base.equals("java")) return javaLaunch(argv, readToJava);
        String resolved = fs == null ? null : fs.which(cmd, path);
        ImageFilesystem.Executable exe = resolved == null ? null : fs.executable(resolved);
        if (exe == null) return "unknown (" + cmd + " is not an executable file in the image)";
        String real = fs.resolve(resolved);
        if (real.endsWith("/bin/java")) return javaLaunch(argv, readToJava);
        if (exe.kind() == ImageFilesystem.Kind.SCRIPT) {
            String text = exe.scriptText() == null ? "" : exe.scriptText();
            scriptWarnings("the script " + real, text, warnings);
            String interpreter =
                    text.lines().findFirst().orElse("#!").substring(2).trim();
            boolean runsJava = JAVA_CALL.matcher(text).find();
            readToJava[0] |= runsJava;
            return "script " + real + " (" + interpreter + ")" + (runsJava ? " that runs java" : "");
        }
        if (exe.kind() == ImageFilesystem.Kind.ELF) {
            warnings.add("the entrypoint " + real
                    + " is a native executable, not java: a GraalVM native image ignores JAVA_TOOL_OPTIONS"
                    + " (no agent possible); a launcher must pass its environment to the JVM it starts");
            return "native executable " + real;
        }
        return "executable " + real;
    }

    /** @param readToJava set for a launch of a jar or a main class (not for a bare {@code java}: its arguments come later) */
    private static String javaLaunch(List<String> argv, boolean[] readToJava) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-jar") && i + 1 < argv.size()) {
                readToJava[0] = true;
                return "java -jar " + argv.get(i + 1);
            }
            if (a.equals("-m") || a.equals("--module"))
                return i + 1 < argv.size() ? "java --module " + argv.get(i + 1) : "java --module";
            if (a.equals("-cp")
                    || a.equals("-classpath")
                    || a.equals("--class-path")
                    || a.equals("-p")
                    || a.equals("--module-path")) {
                i++;
                continue;
            }
            if (!a.startsWith("-")) {
                readToJava[0] = true;
                return "java (main class " + a + ")";
            }
        }
        return "java";
    }

    private static void scriptWarnings(String what, String text, List<String> warnings) {
        if (UNSET.matcher(text).find())
            warnings.add(what + " unsets JAVA_TOOL_OPTIONS: the inlay agent will not reach the JVM");
        if (ENV_CLEAR.matcher(text).find())
            warnings.add(
                    what + " runs `env -i`, which clears the environment: JAVA_TOOL_OPTIONS may not reach the JVM");
        if (OVERWRITE.matcher(text).find())
            warnings.add(what + " assigns JAVA_TOOL_OPTIONS without keeping its value: the inlay agent is dropped");
    }

    /** Without the layers (--no-baseline), a weaker hint that the image runs Java. */
    public static boolean configMentionsJava(Image image) {
        JsonNode c = image.config().path("config");
        for (JsonNode e : c.path("Env")) {
            String s = e.asText();
            if (s.startsWith("JAVA_HOME=")
                    || s.startsWith("JAVA_VERSION=")
                    || s.startsWith("JDK_VERSION=")
                    || s.startsWith("JRE_VERSION=")) return true;
        }
        StringBuilder sb = new StringBuilder();
        c.path("Entrypoint").forEach(n -> sb.append(n.asText()).append(' '));
        c.path("Cmd").forEach(n -> sb.append(n.asText()).append(' '));
        return JAVA_CALL.matcher(sb.toString().toLowerCase(Locale.ROOT)).find();
    }
}
