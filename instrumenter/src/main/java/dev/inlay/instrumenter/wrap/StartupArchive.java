package dev.inlay.instrumenter.wrap;

import dev.inlay.instrumenter.BadInputException;
import dev.inlay.instrumenter.image.Image;
import dev.inlay.model.AgentFlag;
import dev.inlay.model.LayerLayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code inlay wrap --startup-archive}: a class data sharing archive of the image's JDK made for a JVM that runs
 * inlay's agent, named in {@code JAVA_TOOL_OPTIONS} next to the agent's option ({@link AgentFlag}).
 *
 * <p>Why: the archive holds the JDK classes and method-handle forms inlay's own start uses, found by one run of the
 * image's JVM with the agent. With {@code -javaagent} it also keeps the archived module graph: that flag adds
 * {@code java.instrument} to the JVM's root modules, which the JDK's own archive was made without, and from JDK 23 on
 * an archive dumped with {@code --add-modules java.instrument} matches such a start. With {@code -agentlib:instrument=}
 * the JDK's own archive already keeps the graph, and this one is dumped without the extra module to match.
 *
 * <p>Making it runs the image's JVM on this machine (same OS and architecture, its libraries from this machine), with
 * an empty environment, in a temporary directory: opt-in, documented in docs/SECURITY.md.
 */
public final class StartupArchive {
    public static final String JVM_OPTION = "-XX:SharedArchiveFile=" + LayerLayout.STARTUP_ARCHIVE_PATH;
    /**
     * The first JDK whose JVM keeps an archived module graph for a matching {@code --add-modules} (JDK-8319343), and
     * the only ones this is made and tested for.
     */
    static final int MIN_FEATURE_VERSION = 23;
    /**
     * Options that make the JVM use another archive, none, or a module graph the archive does not hold; with
     * {@code -XX:AOTCache} next to our {@code -XX:SharedArchiveFile} the JVM refuses to start at all.
     */
    private static final List<String> CONFLICTING = List.of(
            "-XX:SharedArchiveFile",
            "-XX:AOTCache",
            "-XX:AOTMode",
            "-XX:AOTConfiguration",
            "-XX:ArchiveClassesAtExit",
            "-XX:+AutoCreateSharedArchive",
            "-Xshare:off",
            "--add-modules",
            "-XX:-UseCompressedOops",
            "-XX:-UseCompressedClassPointers");

    private static final long STEP_TIMEOUT_SECONDS = 180;

    private StartupArchive() {}

    /** Checks that the image can have one, copies its JDK out and makes it; every refusal says why. */
    static byte[] forImage(Image image, ImageFilesystem fs, byte[] agentJar, AgentFlag flag, Path work)
            throws IOException {
        List<ImageFilesystem.Jvm> jvms = fs.jvms();
        if (jvms.size() != 1) {
            throw new BadInputException("--startup-archive: the image has " + jvms.size() + " JVMs "
                    + jvms.stream().map(ImageFilesystem.Jvm::javaPath).toList()
                    + "; JAVA_TOOL_OPTIONS reaches every one of them and an"
                    + " archive fits only the JVM that made it");
        }
        ImageFilesystem.Jvm jvm = jvms.get(0);
        int feature = featureVersion(jvm.version());
        if (feature < 0) {
            throw new BadInputException(
                    "--startup-archive: the image's JVM (" + jvm.javaPath() + ") has no release file"
                            + " stating its Java version; an archive needs JDK " + MIN_FEATURE_VERSION + " or later");
        }
        if (feature < MIN_FEATURE_VERSION) {
            throw new BadInputException(
                    "--startup-archive: the image's JVM (" + jvm.javaPath() + ") is Java " + jvm.version()
                            + "; a startup archive needs JDK " + MIN_FEATURE_VERSION + " or later (before it a JVM"
                            + " with -javaagent cannot use an archived module graph, and -agentlib:instrument="
                            + " already uses the JDK's own)");
        }
        List<String> conflicts = conflicts(image, fs);
        if (!conflicts.isEmpty()) {
            throw new BadInputException("--startup-archive: " + String.join("; ", conflicts)
                    + ": the JVM would not use the" + " archive (or, with -XX:AOTCache, would not start)");
        }
        Path java = JdkCopy.copy(image.layers(), fs, jvm, Files.createDirectories(work.resolve("jdk-root")));
        return build(java, agentJar, flag, Files.createDirectories(work.resolve("startup-archive")));
    }

    /** The major version in a {@code release} file's JAVA_VERSION ("25.0.1", "17", "1.8.0_392"), or -1. */
    static int featureVersion(String javaVersion) {
        String v = javaVersion.startsWith("1.") ? javaVersion.substring(2) : javaVersion;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
        return end == 0 ? -1 : Integer.parseInt(v.substring(0, Math.min(end, 4)));
    }

    /** Where the image's own launch configuration sets an option that conflicts with the archive. */
    static List<String> conflicts(Image image, ImageFilesystem fs) {
        List<String> found = new ArrayList<>();
        List<String> argv = LaunchAnalysis.argv(image);
        mentions("the entrypoint and cmd", String.join(" ", argv), found);
        // Launch scripts pass JAVA_OPTS and their kin on; every variable is looked at, not only the JVM's own.
        for (Map.Entry<String, String> v : LaunchAnalysis.environment(image).entrySet())
            mentions("the environment variable " + v.getKey(), v.getValue(), found);
        for (Map.Entry<String, String> script :
                LaunchAnalysis.scriptsNamed(image, fs, argv).entrySet())
            mentions(script.getKey(), script.getValue(), found);
        return found;
    }

    private static void mentions(String where, String text, List<String> found) {
        for (String option : CONFLICTING) {
            if (text.contains(option)) found.add(where + " sets " + option);
        }
    }

    /**
     * Makes the archive with the JVM at {@code java} (a JDK 23+ {@code bin/java}): one run with the agent in learn
     * mode records the classes and method-handle forms a start loads, the dump adds them to the JDK's own class list,
     * and a check run proves the archive maps with the archived module graph. Public for bench/ (the same steps).
     *
     * @param flag the option {@code JAVA_TOOL_OPTIONS} loads the agent with: the archive's root modules must match it
     */
    public static byte[] build(Path java, byte[] agentJar, AgentFlag flag, Path work) throws IOException {
        Path agent =
                Files.write(Files.createDirectories(work.resolve("agent")).resolve(LayerLayout.AGENT_JAR), agentJar);
        Path loaded = work.resolve("loaded.classlist");
        Path classList = work.resolve("startup.classlist");
        Path archive = work.resolve(LayerLayout.STARTUP_ARCHIVE);
        String agentOption = flag.option(agent.toString()) + "=mode=learn";

        run(
                java,
                work,
                "record the classes a start with the agent loads",
                "-XX:DumpLoadedClassList=" + loaded,
                agentOption,
                "-version");
        Path jdkList = java.getParent().getParent().resolve("lib/classlist");
        Set<String> lines = new LinkedHashSet<>();
        if (Files.isRegularFile(jdkList))
            lines.addAll(classListLines(Files.readAllLines(jdkList, StandardCharsets.UTF_8)));
        if (Files.isRegularFile(loaded))
            lines.addAll(classListLines(Files.readAllLines(loaded, StandardCharsets.UTF_8)));
        Files.write(classList, lines, StandardCharsets.UTF_8);

        List<String> dump = new ArrayList<>(
                List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive));
        // -javaagent's start resolves java.instrument as an added root module; the archive's graph must have it so.
        if (flag == AgentFlag.JAVAAGENT) dump.addAll(List.of("--add-modules", "java.instrument"));
        run(java, work, "dump the archive", dump.toArray(new String[0]));
        String check = run(
                java,
                work,
                "start with the archive and the agent",
                "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive,
                "-Xlog:cds=info",
                agentOption,
                "-version");
        if (!check.contains("full module graph: enabled")) {
            throw new BadInputException(
                    "--startup-archive: the image's JVM does not use the archived module graph with the"
                            + " agent; the archive would gain nothing:\n" + tail(check));
        }
        return Files.readAllBytes(archive);
    }

    /**
     * The JDK's own classes and the method-handle forms to pre-generate; not inlay's classes (they come from the
     * agent jar at run time) nor classes with a source (an application's).
     */
    static List<String> classListLines(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            if (line.startsWith("@")) {
                if (line.startsWith("@lambda-form-invoker ")) out.add(line);
                continue;
            }
            if (line.contains(" source:") || line.startsWith("dev/inlay/")) continue;
            int id = line.indexOf(" id: ");
            String name = id < 0 ? line.trim() : line.substring(0, id);
            if (!name.contains(" ")) out.add(name);
        }
        return out;
    }

    private static String run(Path java, Path work, String step, String... options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("output.txt").toFile());
        // Nothing of this machine's environment reaches the image's JVM (no INLAY_*, JAVA_TOOL_OPTIONS, secrets).
        pb.environment().clear();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BadInputException("--startup-archive: cannot run the image's JVM on this machine ("
                    + e.getMessage() + "); it must be for this OS and architecture");
        }
        try {
            if (!p.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BadInputException("--startup-archive: the image's JVM did not " + step + " within "
                        + STEP_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the image's JVM ran", e);
        }
        String output = Files.readString(work.resolve("output.txt"), StandardCharsets.ISO_8859_1);
        if (p.exitValue() != 0) {
            throw new BadInputException(
                    "--startup-archive: the image's JVM failed to " + step + " on this machine (exit " + p.exitValue()
                            + "; it must be for this OS and architecture):\n" + tail(output));
        }
        return output;
    }

    private static String tail(String output) {
        String[] lines = output.strip().split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 12), lines.length));
    }
}
