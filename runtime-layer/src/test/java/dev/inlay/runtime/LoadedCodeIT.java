package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code loaded} lines (docs/EVENTS.md): a real JVM loads a class from one of two jars on its class path; the
 * final lines name that jar, with the package loaded from it, and not the jar that was never used.
 */
class LoadedCodeIT {
    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void theFinalLinesNameTheJarsWhoseClassesWereLoadedAndOnlyThose(int jdk, @TempDir Path dir) throws Exception {
        // A space in the path: code source URLs escape it (%20), the SBOM's locations do not.
        Path lib = Files.createDirectories(dir.resolve("lib dir"));
        Path used = jar(dir, lib.resolve("used.jar"), "used.pkg", "Used");
        Path unused = jar(dir, lib.resolve("unused.jar"), "unused.pkg", "Unused");
        List<String> command = new ArrayList<>(List.of(
                AgentRun.java(jdk).toString(),
                "-javaagent:" + AgentRun.agentJar().toAbsolutePath(),
                "-cp",
                AgentRun.testClasses() + ":" + used + ":" + unused,
                "dev.inlay.probe.LoadsNamedClass",
                "used.pkg.Used"));
        AgentRun run = AgentRun.exec(command, Map.of());
        assertEquals(0, run.exitCode, run.describe());
        assertEquals("used.pkg.Used", run.probes.get("loaded"), run.describe());

        Map<String, TreeSet<String>> sources = new TreeMap<>();
        List<JsonNode> lines = run.of("loaded");
        long finals = 0;
        for (JsonNode line : lines) {
            assertTrue(line.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 8192);
            if (!line.path("final").asBoolean()) continue;
            finals++;
            assertEquals(1, line.path("schema").asInt());
            for (JsonNode source : line.path("sources")) {
                TreeSet<String> packages =
                        sources.computeIfAbsent(source.path("location").asText(), k -> new TreeSet<>());
                source.path("packages").forEach(p -> packages.add(p.asText()));
            }
        }
        assertTrue(finals >= 1, run.describe());
        assertEquals(
                finals,
                lines.stream()
                        .filter(l -> l.path("final").asBoolean())
                        .findFirst()
                        .orElseThrow()
                        .path("chunks")
                        .asLong(),
                run.describe());
        assertEquals(new TreeSet<>(List.of("used.pkg")), sources.get(used.toString()), sources.toString());
        assertFalse(sources.containsKey(unused.toString()), sources.toString());
        // The main class's directory is a code source too; the agent's own jar is not reported.
        assertTrue(sources.get(AgentRun.testClasses() + "/").contains("dev.inlay.probe"), sources.toString());
        assertFalse(sources.containsKey(AgentRun.agentJar().toAbsolutePath().toString()), sources.toString());
    }

    /** A jar with one class {@code pkg.name}, compiled here. */
    private static Path jar(Path work, Path jar, String pkg, String name) throws Exception {
        Path src = Files.createDirectories(work.resolve("src-" + name).resolve(pkg.replace('.', '/')));
        Path file = Files.writeString(
                src.resolve(name + ".java"),
                "package " + pkg + "; public class " + name + " { static { System.out.println(\"PROBE init " + name
                        + "\"); } }");
        Path classes = Files.createDirectories(work.resolve("classes-" + name));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "--release", "17", "-d", classes.toString(), file.toString()));
        Path compiled = classes.resolve(pkg.replace('.', '/')).resolve(name + ".class");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new ZipEntry(pkg.replace('.', '/') + "/" + name + ".class"));
            j.write(Files.readAllBytes(compiled));
            j.closeEntry();
        }
        return jar;
    }
}
