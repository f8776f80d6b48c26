package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Starts a real JVM with the packaged agent and collects what it printed. */
final class AgentRun {
    static final ObjectMapper JSON = new ObjectMapper();

    final int exitCode;
    final List<String> stdout;
    final String stderr;
    final List<JsonNode> lines = new ArrayList<>();
    final Map<String, String> probes = new LinkedHashMap<>();

    private AgentRun(int exitCode, List<String> stdout, String stderr) throws IOException {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
        for (String line : stdout) {
            int brace = line.indexOf('{');
            if (brace >= 0 && line.contains("\"inlay\"")) {
                lines.add(JSON.readTree(line.substring(brace)));
            } else if (line.startsWith("PROBE ")) {
                String[] parts = line.split(" ", 4);
                probes.put(parts[1], parts[2] + (parts.length > 3 ? " " + parts[3] : ""));
            }
        }
    }

    static Path agentJar() {
        Path jar = Path.of(System.getProperty("inlay.agentJar", "target/inlay-agent.jar"));
        Assertions.assertTrue(Files.isRegularFile(jar), "the agent jar is built first (mvn package): " + jar);
        return jar;
    }

    /**
     * The agent jar as inlay wrap lays it out: next to it, the hooked classes of JDK 17 and JDK 25 computed by the
     * jar itself from each JDK's lib/modules (HookedClasses), so that the agent starts without ASM, and the links
     * under each JDK's home (jdk-links.bin), so that it does not walk the home. Built once.
     */
    static synchronized Path agentJarWithPrecomputedHooks() throws Exception {
        Path dir = Path.of("target/agent-precomputed").toAbsolutePath();
        Path jar = dir.resolve("inlay-agent.jar");
        Files.createDirectories(dir);
        Files.copy(agentJar(), jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.io.ByteArrayOutputStream sections = new java.io.ByteArrayOutputStream();
        // As inlay wrap finds it: the jar's own HookPrecomputation, through ServiceLoader.
        try (dev.inlay.model.WrapTimeAgent agent = dev.inlay.model.WrapTimeAgent.open(jar)) {
            dev.inlay.model.HookPrecomputation precomputation = agent.hookPrecomputation();
            for (int jdk : List.of(17, 25)) {
                Path home = java(jdk).getParent().getParent().toRealPath();
                sections.write(precomputation.hookedClasses(home.toString(), home));
            }
        }
        Files.write(dir.resolve("hooked-classes.bin"), sections.toByteArray());
        java.io.ByteArrayOutputStream links = new java.io.ByteArrayOutputStream();
        for (int jdk : List.of(17, 25)) links.write(jdkLinks(jdk));
        Files.write(dir.resolve(dev.inlay.model.LayerLayout.JDK_LINKS), links.toByteArray());
        return jar;
    }

    /**
     * A section of jdk-links.bin for a JDK of this host (dev.inlay.model.JdkLinkList), as inlay wrap writes it for an
     * image's JDK: every symbolic link under its home but those {@code leftOut} names (paths under the home).
     */
    static byte[] jdkLinks(int jdk, String... leftOut) throws IOException {
        Path home = java(jdk).getParent().getParent().toRealPath();
        List<String> links = new ArrayList<>();
        try (java.util.stream.Stream<Path> all = Files.walk(home)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = "/" + home.relativize(p);
                if (Files.isSymbolicLink(p) && !List.of(leftOut).contains(rel)) links.add(rel);
            }
        }
        return dev.inlay.model.JdkLinkList.section(home.toString(), Files.readAllBytes(home.resolve("release")), links);
    }

    static Path testClasses() {
        return Path.of("target/test-classes").toAbsolutePath();
    }

    /** The java launcher of JDK 17 (this JVM when it is 17) or JDK 25 (system property inlay.jdk25). */
    static Path java(int feature) {
        if (feature == Runtime.version().feature()) return Path.of(System.getProperty("java.home"), "bin", "java");
        String home = feature == 25 ? System.getProperty("inlay.jdk25") : "/usr/lib/jvm/java-17-openjdk-amd64";
        Path java = home == null ? null : Path.of(home, "bin", "java");
        if (java == null || !Files.isExecutable(java)) missing("JDK " + feature + " (" + home + ")");
        return java;
    }

    /** Tools a test needs: skipped locally when absent, a failure on CI. */
    static void missing(String tool) {
        if ("true".equals(System.getenv("CI"))) Assertions.fail("missing tool: " + tool);
        Assumptions.abort("missing tool: " + tool);
    }

    static AgentRun run(int jdk, String agentArgs, Map<String, String> env, String mainClass, String... args)
            throws Exception {
        return run(jdk, agentJar(), agentArgs, env, mainClass, args);
    }

    static AgentRun run(
            int jdk, Path agentJar, String agentArgs, Map<String, String> env, String mainClass, String... args)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java(jdk).toString());
        if (agentArgs != null)
            command.add("-javaagent:" + agentJar.toAbsolutePath() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        command.add("-Xshare:auto");
        if (jdk >= 22) command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(testClasses().toString());
        command.add(mainClass);
        command.addAll(List.of(args));
        return exec(command, env);
    }

    static AgentRun exec(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("inlay-run", ".out");
        Path err = Files.createTempFile("inlay-run", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            Assertions.fail("timed out: " + command + "\n" + Files.readString(err));
        }
        AgentRun run = new AgentRun(
                process.exitValue(),
                Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return run;
    }

    List<JsonNode> of(String kind) {
        return lines.stream().filter(n -> kind.equals(n.path("inlay").asText())).collect(Collectors.toList());
    }

    /** Every behavior of the run's profiles as {@code category operation resource}, in the order printed. */
    List<String> profiledBehaviors() {
        List<String> behaviors = new java.util.ArrayList<>();
        for (JsonNode doc : of("profile")) {
            for (JsonNode b : doc.path("behaviors"))
                behaviors.add(
                        b.path("category").asText() + " " + b.path("operation").asText() + " "
                                + b.path("resource").asText());
        }
        return behaviors;
    }

    /**
     * The lines of {@code kind} on stdout, and a kill or tamper event the sink did not take within its deadline, which
     * the agent prints on stderr instead ({@code inlay: stdout did not take the kill event within 500 ms: {...}},
     * docs/EVENTS.md): reported either way, never lost.
     */
    List<JsonNode> ofIncludingStderrFallback(String kind) throws java.io.IOException {
        List<JsonNode> found = new java.util.ArrayList<>(of(kind));
        for (String line : stderr.split("\n")) {
            int json = line.indexOf(" did not take the kill event");
            int brace = json < 0 ? -1 : line.indexOf('{', json);
            if (brace < 0) continue;
            JsonNode node = JSON.readTree(line.substring(brace));
            if (kind.equals(node.path("inlay").asText())) found.add(node);
        }
        return found;
    }

    String describe() {
        return "exit " + exitCode + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + stderr;
    }
}
