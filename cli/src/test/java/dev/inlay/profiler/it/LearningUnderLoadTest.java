package dev.inlay.profiler.it;

import dev.inlay.cli.profiler.PolicyCommand;
import dev.inlay.cli.profiler.ProfileCommand;
import dev.inlay.model.Component;
import dev.inlay.policy.Action;
import dev.inlay.policy.Operation;
import dev.inlay.policy.engine.PolicyEngine;
import dev.inlay.profiler.CliRun;
import dev.inlay.profiler.generate.PolicyGenerator;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.ProfileReader;
import dev.inlay.profiler.profile.ProfileStats;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learning under load (docs/PROFILE.md "Summaries and losses"), with the real agent in a real JVM: 400,000 distinct
 * file paths in four directories end, through the agent's directory summaries, in a profile with nothing lost whose
 * generated policy allows every one of them (checked with the engine) and the connections made after them; a run
 * whose behaviors exceed the cap writes the loss into its profile, seen after a {@code kill -9}, and the completeness
 * gate fails on it.
 */
class LearningUnderLoadTest {
    private static final int DIRS = 4;
    private static final int FILES_PER_DIR = 100_000;
    private static final int PORTS = 200;

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void fourHundredThousandDistinctPathsEndInAPolicyThatAllowsThem(int jdk) throws Exception {
        Path work = workDir("many-paths-jdk" + jdk);
        Path profiles = Files.createDirectories(work.resolve("profiles"));
        Path data = work.resolve("data");
        Process p = start(
                jdk,
                "mode=learn,sink=file:" + work.resolve("events.jsonl") + ",profileDir=" + profiles,
                work,
                data.toString(),
                Integer.toString(DIRS),
                Integer.toString(FILES_PER_DIR),
                Integer.toString(PORTS));
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "hung");
        String out = Files.readString(work.resolve("out.txt"));
        assertEquals(0, p.exitValue(), out + Files.readString(work.resolve("err.txt")));
        System.out.println("JDK " + jdk + " learning " + DIRS * FILES_PER_DIR + " distinct paths: " + out.strip());

        MergedProfile merged = new MergedProfile();
        ProfileReader.readAll(List.of(profiles.toString()), System.in, merged);
        assertEquals(0, merged.notRecorded(), "nothing lost");
        ProfileStats stats = ProfileStats.of(merged);
        assertTrue(stats.summaries() >= DIRS, "each exploding directory summarized: " + stats);
        CliRun gate = CliRun.run(new ProfileCommand(), "stats", "--min-runs", "1", profiles.toString());
        assertEquals(0, gate.code(), gate.toString());

        PolicyEngine engine = PolicyEngine.compile(PolicyGenerator.generate(merged, PolicyGenerator.Options.defaults())
                .policy());
        // The program's reads and connects are its own (classes from a directory: the component 'app', issue 22), and
        // the policy is decided as the agent decides them: as that component.
        TreeSet<String> askedBy = new TreeSet<>();
        merged.behaviors().keySet().stream()
                .filter(k -> k.resource().startsWith(data.toString()))
                .forEach(k -> askedBy.add(String.valueOf(k.component())));
        assertEquals(Set.of(Component.APPLICATION), askedBy, "who read the data");
        Component app = new Component(Component.APPLICATION, work.toString());
        for (int d = 0; d < DIRS; d++) {
            for (int i = 0; i < FILES_PER_DIR; i++) {
                String path = data + "/d" + d + "/f" + i + ".txt";
                Assertions.assertEquals(
                        Action.ALLOW, engine.file(Operation.READ, path, app).action(), path);
            }
        }
        assertEquals(
                Action.DENY,
                engine.file(Operation.READ, data + "/d0/f0.txt").action(),
                "the application's reads are the application's, not every code's");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int port = 1; port <= PORTS; port++) {
            assertEquals(
                    Action.ALLOW,
                    engine.network(Operation.CONNECT, false, "localhost", loopback, port, app)
                            .action(),
                    "connect to port " + port + " learned after the files");
        }
        assertEquals(
                Action.DENY,
                engine.file(Operation.READ, work + "/elsewhere.txt", app).action());
        assertEquals(
                Action.DENY,
                engine.file(Operation.WRITE, data + "/d0/f1.txt", app).action(),
                "only what was done");
    }

    @Test
    void aLossIsInTheProfileAfterKillMinus9AndTheGateFails() throws Exception {
        Path work = workDir("loss");
        Path profiles = Files.createDirectories(work.resolve("profiles"));
        Process p = start(
                17,
                "mode=learn,maxBehaviors=300,profileInterval=1,sink=file:" + work.resolve("events.jsonl")
                        + ",profileDir=" + profiles,
                work,
                work.resolve("data").toString(),
                "2",
                "500",
                "0",
                "wait");
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!profileText(profiles).contains("\"notRecorded\":") && System.nanoTime() < end) Thread.sleep(100);
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no final snapshot
            p.waitFor(30, TimeUnit.SECONDS);
        }
        CliRun stats = CliRun.run(new ProfileCommand(), "stats", "--require-quiet", "0s", profiles.toString());
        assertEquals(1, stats.code(), stats.toString());
        assertTrue(stats.out().contains("INCOMPLETE") && stats.out().contains("NOT MET: incomplete"), stats.toString());
        CliRun generate = CliRun.run(new PolicyCommand(), "generate", profiles.toString());
        assertEquals(0, generate.code(), generate.toString());
        assertTrue(generate.err().contains("warning: the profile is incomplete"), generate.toString());
        assertTrue(generate.out().contains("WARNING: the profile is incomplete"), generate.toString());
    }

    private static String profileText(Path profiles) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(profiles)) {
            for (Path f : files.toList()) sb.append(Files.readString(f, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static Process start(int jdk, String agentArgs, Path work, String... args) throws Exception {
        Path agent = Path.of("..", "runtime-layer", "target", "inlay-agent.jar")
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(agent)) missing(agent.toString());
        Path copy = Files.copy(agent, work.resolve("inlay-agent.jar"));
        List<String> command = new ArrayList<>(List.of(
                java(jdk),
                "-javaagent:" + copy + "=" + agentArgs,
                "-cp",
                Path.of("target", "test-classes").toAbsolutePath().toString(),
                ManyPaths.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_") || k.equals("JAVA_TOOL_OPTIONS"));
        return pb.redirectOutput(work.resolve("out.txt").toFile())
                .redirectError(work.resolve("err.txt").toFile())
                .start();
    }

    private static String java(int feature) {
        String home = feature == Runtime.version().feature()
                ? System.getProperty("java.home")
                : feature == 25 ? System.getProperty("inlay.jdk25") : null;
        Path java = home == null || home.isBlank() ? null : Path.of(home, "bin", "java");
        if (java == null || !Files.isExecutable(java)) missing("JDK " + feature);
        return java.toString();
    }

    private static void missing(String what) {
        if ("true".equals(System.getenv("CI"))) Assertions.fail("missing: " + what);
        org.junit.jupiter.api.Assumptions.abort("missing: " + what);
    }

    /** Under target/: the generator never collapses under /tmp, and the profile should not depend on that. */
    private static Path workDir(String name) throws IOException {
        Path dir = Path.of("target", "learning-under-load", name).toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
        return Files.createDirectories(dir);
    }
}
