package dev.inlay.profiler.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.policy.Mode;
import dev.inlay.profiler.generate.PolicyGenerator;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.ProfileReader;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #19: a policy learned on one JDK, host and layout holds on another. The application learns on JDK 17 from
 * one directory (its jar, working and temporary directory there); the generated policy is enforced on JDK 25 from
 * another: the application must start and run with no denial. The JVM's own container reads (cgroup files,
 * /proc/self/mountinfo) are never learned, while the application's own read of /proc/self/status is.
 *
 * <p>Needs {@code runtime-layer/target/inlay-agent.jar} (mvn package) and JDK 25 ({@code -Dinlay.jdk25}).
 */
class TravelingPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aPolicyLearnedOnJdk17ElsewhereEnforcesOnJdk25WithNoDenial() throws Exception {
        Path agent = Path.of("..", "runtime-layer", "target", "inlay-agent.jar")
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(agent)) missing(agent + " (mvn package -pl runtime-layer -am)");
        String jdk17 = javaOf("17", "/usr/lib/jvm/java-17-openjdk-amd64");
        String jdk25 = javaOf("25", System.getProperty("inlay.jdk25"));

        Run learned = run(jdk17, agent, "mode=learn", tmp.resolve("learn"));
        assertEquals(0, learned.exit, learned.describe());
        String profile = learned.lines("profile");
        MergedProfile merged = read(profile);
        List<String> files = new ArrayList<>();
        merged.behaviors().keySet().forEach(k -> files.add(k.category().wireName() + " " + k.resource()));
        assertTrue(files.contains("file /proc/self/status"), "the application's own read is learned: " + files);
        for (String f : files) {
            assertFalse(
                    f.startsWith("file /sys/fs/cgroup/")
                            || f.equals("file /proc/self/mountinfo")
                            || f.equals("file /proc/self/cgroup")
                            || f.equals("file /dev/random"),
                    "the JDK's own container and entropy reads are not the application's behavior: " + f);
        }

        String yaml = PolicyGenerator.generate(
                        merged,
                        new PolicyGenerator.Options("travel", Mode.ENFORCE, PolicyGenerator.DEFAULT_COLLAPSE_THRESHOLD))
                .toYaml();
        assertTrue(
                yaml.contains("${java.home}/**")
                        && yaml.contains("${app.classpath}")
                        && yaml.contains("${java.io.tmpdir}/travel-*.tmp")
                        && yaml.contains("${user.dir}/state.txt"),
                yaml);
        for (String line : yaml.split("\n")) {
            assertFalse(
                    !line.strip().startsWith("#") && (line.contains("/usr/lib/jvm") || line.contains(tmp.toString())),
                    "no literal JDK or learning-directory path (comments name examples):\n" + yaml);
        }
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), yaml);

        Run enforced = run(jdk25, agent, "mode=enforce,policy=" + policy, tmp.resolve("elsewhere/enforce"));
        assertEquals(0, enforced.exit, "policy:\n" + yaml + "\n" + enforced.describe());
        assertTrue(enforced.stdout.contains("TRAVEL-OK"), enforced.describe());
        assertEquals("", enforced.lines("event"), "no denial on JDK 25:\n" + yaml);

        // What this fixes: the same profile without roots, enforced without the JVM baseline (the agent and
        // generator before), stops the application on JDK 25.
        String literalYaml = PolicyGenerator.generate(
                        read(profile.replaceAll(",\"roots\":\\{[^}]*\\}", "")),
                        new PolicyGenerator.Options("travel", Mode.ENFORCE, PolicyGenerator.DEFAULT_COLLAPSE_THRESHOLD))
                .toYaml();
        assertTrue(literalYaml.contains("/usr/lib/jvm/java-17"), literalYaml);
        Path literal = Files.writeString(tmp.resolve("literal.yaml"), literalYaml);
        Run before =
                run(jdk25, agent, "mode=enforce,jvmBaseline=false,policy=" + literal, tmp.resolve("before/enforce"));
        assertTrue(before.exit != 0 && before.lines("event").contains("\"action\":\"deny\""), before.describe());

        // A policy's own deny rule still beats the baseline: the JDK's read of /proc/self/mountinfo is reported.
        Path denying = Files.writeString(
                tmp.resolve("deny.yaml"),
                yaml.replace("  mode: enforce\n", "  mode: monitor\n")
                        .replace(
                                "  files:\n",
                                "  files:\n    - id: no-mountinfo\n      action: deny\n      paths: [\"/proc/self/mountinfo\"]\n"));
        Run monitored = run(jdk25, agent, "policy=" + denying, tmp.resolve("deny/enforce"));
        assertEquals(0, monitored.exit, monitored.describe());
        assertTrue(
                monitored.lines("event").contains("\"rule\":\"no-mountinfo\""),
                Files.readString(denying) + monitored.describe());
    }

    private static MergedProfile read(String docs) throws Exception {
        MergedProfile merged = new MergedProfile();
        ProfileReader.read(new StringReader(docs), merged);
        return merged;
    }

    /** The application from its own jar in {@code dir}: there its working directory and temporary directory. */
    private static Run run(String java, Path agent, String agentArgs, Path dir) throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Path jar = dir.resolve("app.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, TravelApp.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            String name = TravelApp.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(name));
            try (var in = TravelApp.class.getClassLoader().getResourceAsStream(name)) {
                in.transferTo(out);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-javaagent:" + agent + "=" + agentArgs,
                        "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                        "-jar",
                        jar.toString())
                .directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_") || k.equals("JAVA_TOOL_OPTIONS"));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("timed out: " + Files.readString(err));
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Run(int exit, String stdout, String stderr) {
        /** The agent's lines of one kind ("profile", "event"), one per line. */
        String lines(String kind) throws Exception {
            StringBuilder sb = new StringBuilder();
            for (String line : stdout.split("\n")) {
                int brace = line.indexOf('{');
                if (brace < 0 || !line.contains("\"inlay\"")) continue;
                JsonNode node = JSON.readTree(line.substring(brace));
                if (kind.equals(node.path("inlay").asText()))
                    sb.append(line.substring(brace)).append('\n');
            }
            return sb.toString();
        }

        String describe() {
            return "exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static String javaOf(String feature, String home) {
        Path java = home == null || home.isBlank() ? null : Path.of(home, "bin", "java");
        if (java == null || !Files.isExecutable(java)) missing("JDK " + feature + " (" + home + ")");
        return java.toString();
    }

    private static void missing(String what) {
        if ("true".equals(System.getenv("CI"))) Assertions.fail("missing: " + what);
        org.junit.jupiter.api.Assumptions.abort("missing: " + what);
    }
}
