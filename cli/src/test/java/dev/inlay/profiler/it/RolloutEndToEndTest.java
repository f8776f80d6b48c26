package dev.inlay.profiler.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlay.cli.profiler.PolicyCommand;
import dev.inlay.profiler.CliRun;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 19, points 4 and 5, end to end with real JVMs and the real commands: a policy learned without a start-up read
 * stops nothing with INLAY_STARTUP=monitor, reports the read as a start-up denial in profile form, and
 * {@code inlay policy generate} over the learned profile plus that output gives a policy that allows it; run as a
 * shadow beside the healed policy, the old one is refused by {@code inlay policy promote-check}, and the healed one,
 * as a shadow beside the old, is clear.
 *
 * <p>Needs {@code runtime-layer/target/inlay-agent.jar} (mvn package) and JDK 25 ({@code -Dinlay.jdk25}).
 */
class RolloutEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void aStartupDenialHealsThroughGenerateAndTheShadowGateSeesTheDifference(int jdk) throws Exception {
        Path agent = Path.of("..", "runtime-layer", "target", "inlay-agent.jar")
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(agent)) missing(agent + " (mvn package -pl runtime-layer -am)");
        String java = jdk == 17
                ? javaOf("17", "/usr/lib/jvm/java-17-openjdk-amd64")
                : javaOf("25", System.getProperty("inlay.jdk25"));
        Path app = app(tmp.resolve("app"));
        Path extra = Files.writeString(tmp.resolve("extra.conf"), "setting=1");

        Run learned = run(java, agent, "mode=learn", app, Map.of(), null);
        assertEquals(0, learned.exit, learned.describe());
        Path learnedLog = Files.writeString(tmp.resolve("learn.log"), learned.stdout);
        Path old = tmp.resolve("old.yaml");
        CliRun gen = CliRun.run(
                new PolicyCommand(), "generate", learnedLog.toString(), "--name", "old", "-o", old.toString());
        assertEquals(0, gen.code(), gen.toString());

        // Started with a configuration it was not learned with: fail closed by default...
        Run closed = run(java, agent, "policy=" + old, app, Map.of(), extra);
        assertTrue(closed.exit != 0 && !closed.stdout.contains("STARTED"), closed.describe());
        // ...and with the operator's switch it starts, saying loudly what it let through.
        Run healed = run(java, agent, "policy=" + old, app, Map.of("INLAY_STARTUP", "monitor"), extra);
        assertEquals(0, healed.exit, healed.describe());
        assertTrue(healed.stdout.contains("STARTED"), healed.describe());
        List<JsonNode> events = healed.lines("event");
        assertEquals(1, events.size(), healed.describe());
        assertEquals("startup", events.get(0).path("phase").asText(), events.toString());
        assertEquals(extra.toString(), events.get(0).path("resource").asText(), events.toString());
        assertEquals(false, events.get(0).path("blocked").asBoolean(), events.toString());
        assertEquals(1, healed.lines("profile").size(), "the start-up denial in profile form: " + healed.describe());

        Path healedLog = Files.writeString(tmp.resolve("healed.log"), healed.stdout);
        Path next = tmp.resolve("next.yaml");
        gen = CliRun.run(
                new PolicyCommand(),
                "generate",
                learnedLog.toString(),
                healedLog.toString(),
                "--name",
                "next",
                "-o",
                next.toString());
        assertEquals(0, gen.code(), gen.toString());
        assertTrue(Files.readString(next).contains(extra.toString()), Files.readString(next));
        Run fixed = run(java, agent, "policy=" + next, app, Map.of(), extra);
        assertEquals(0, fixed.exit, fixed.describe());
        assertEquals(List.of(), fixed.lines("event"), "the reviewed policy allows it: " + fixed.describe());

        // The old policy as a candidate beside the new: promote-check refuses it (it would deny the read)...
        Run shadowOld = run(java, agent, "policy=" + next + ",shadowPolicy=" + old, app, Map.of(), extra);
        assertEquals(0, shadowOld.exit, shadowOld.describe());
        Path shadowOldLog = Files.writeString(tmp.resolve("shadow-old.log"), shadowOld.stdout);
        CliRun refused = CliRun.run(new PolicyCommand(), "promote-check", old.toString(), shadowOldLog.toString());
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.out().contains("blocks: would deny file read " + extra), refused.out());
        // ...and the new one as a candidate beside the old is clear: nothing denied, every rule exercised.
        Run shadowNext = run(
                java, agent, "policy=" + old + ",shadowPolicy=" + next, app, Map.of("INLAY_STARTUP", "monitor"), extra);
        assertEquals(0, shadowNext.exit, shadowNext.describe());
        Path shadowNextLog = Files.writeString(tmp.resolve("shadow-next.log"), shadowNext.stdout);
        CliRun clear = CliRun.run(new PolicyCommand(), "promote-check", next.toString(), shadowNextLog.toString());
        assertEquals(0, clear.code(), clear + "\n" + Files.readString(next));
    }

    private static Path app(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(dir.resolve("base.txt"), "base");
        Path jar = dir.resolve("app.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StartupApp.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            String name = StartupApp.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(name));
            try (var in = StartupApp.class.getClassLoader().getResourceAsStream(name)) {
                in.transferTo(out);
            }
        }
        return dir;
    }

    private static Run run(String java, Path agent, String agentArgs, Path dir, Map<String, String> env, Path extra)
            throws Exception {
        List<String> command = new ArrayList<>(
                List.of(java, "-javaagent:" + agent + "=" + agentArgs, "-Djava.io.tmpdir=" + dir.resolve("tmp")));
        if (extra != null) command.add("-Dextra=" + extra);
        command.addAll(List.of("-jar", dir.resolve("app.jar").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "stdout", ".log");
        Path err = Files.createTempFile(dir, "stderr", ".log");
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
        List<JsonNode> lines(String kind) throws Exception {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                int brace = line.indexOf('{');
                if (brace < 0 || !line.contains("\"inlay\"")) continue;
                JsonNode node = JSON.readTree(line.substring(brace));
                if (kind.equals(node.path("inlay").asText())) lines.add(node);
            }
            return lines;
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
