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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attribution (docs/COVERAGE.md, "Attribution") in real JVMs: a library jar's reads are its own, also when it reads
 * through reflection; the class directory's are {@code app}'s, also through reflection; the JDK's own thread has no
 * component. With the image's component map the jar is named by its package URL, and an event's message names it.
 */
class AttributionIT {
    private static final String PURL = "pkg:maven/dev.inlay.test/attr-lib@1.0";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void learnModeRecordsWhichComponentAskedForEachOperation(int jdk) throws Exception {
        Path lib = library();
        AgentRun run = AgentRun.exec(command(jdk, lib, ""), Map.of("INLAY_MODE", "learn"));
        assertEquals(0, run.exitCode, run.describe());
        Map<String, JsonNode> reads = new HashMap<>();
        List<JsonNode> accepts = new ArrayList<>();
        for (JsonNode profile : run.of("profile")) {
            for (JsonNode b : profile.path("behaviors")) {
                if (b.path("category").asText().equals("file"))
                    reads.put(b.path("resource").asText(), b);
                if (b.path("operation").asText().equals("accept")) accepts.add(b);
            }
        }
        assertEquals(lib.toString(), component(reads, "by-lib"), run.describe());
        assertEquals(lib.toString(), component(reads, "by-lib-reflectively"), run.describe());
        assertEquals("app", component(reads, "by-app"), run.describe());
        assertEquals("app", component(reads, "by-app-reflectively"), run.describe());
        // The class path's jars are read for classes and resources: the JVM's reads, whoever's lookup came first.
        JsonNode jarRead = reads.get(lib.toString());
        assertTrue(jarRead != null && !jarRead.has("component"), String.valueOf(jarRead));
        assertFalse(accepts.isEmpty(), run.describe());
        for (JsonNode accept : accepts) assertFalse(accept.has("component"), accept.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void eventsNameTheComponentByTheImagesMapAndItsVersion(int jdk) throws Exception {
        AgentRun run = enforcedWithComponentMap(
                jdk,
                "attribution",
                "allow",
                "  files:\n    - {id: no-data, action: deny, paths: [\"" + dir.resolve("data") + "/**\"]}\n");
        assertTrue(run.probes.get("lib").startsWith("DENIED"), run.describe());
        assertTrue(run.probes.get("app").startsWith("DENIED"), run.describe());
        Map<String, JsonNode> events = new HashMap<>();
        for (JsonNode e : run.of("event")) events.put(e.path("resource").asText(), e);
        JsonNode byLib = events.get(dir.resolve("data/by-lib").toString());
        assertEquals(PURL, byLib.path("component").asText(), run.describe());
        assertEquals(
                "file read " + dir.resolve("data/by-lib") + " by attr-lib 1.0 denied by rule no-data",
                byLib.path("message").asText());
        assertEquals(
                PURL,
                events.get(dir.resolve("data/by-lib-reflectively").toString())
                        .path("component")
                        .asText(),
                run.describe());
        JsonNode byApp = events.get(dir.resolve("data/by-app").toString());
        assertEquals("app", byApp.path("component").asText(), run.describe());
        assertEquals(
                "file read " + dir.resolve("data/by-app") + " by app denied by rule no-data",
                byApp.path("message").asText());
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void aRuleScopedToTheLibraryAllowsItAndNotTheApplication(int jdk) throws Exception {
        AgentRun run = enforcedWithComponentMap(
                jdk,
                "scoped",
                "deny",
                "  processes:\n    - {id: lib-true, action: allow, executables: [/usr/bin/true],"
                        + " components: [\"pkg:maven/dev.inlay.test/attr-lib\"]}\n",
                "/usr/bin/true");
        assertEquals("ALLOWED", run.probes.get("lib-exec"), run.describe());
        assertTrue(run.probes.get("app-exec").startsWith("DENIED"), run.describe());
        JsonNode denied = run.of("event").stream()
                .filter(e -> e.path("category").asText().equals("process"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(run.describe()));
        assertEquals("app", denied.path("component").asText(), denied.toString());
        assertEquals("default/processes", denied.path("rule").asText(), denied.toString());
    }

    /**
     * Runs the probe on a JDK in enforce mode under a policy allowing every category by default but processes
     * ({@code processes}), with {@code rules}, and the image's component map naming the library jar {@link #PURL};
     * the probe's own arguments after the library's.
     */
    private AgentRun enforcedWithComponentMap(
            int jdk, String policyName, String processes, String rules, String... probeArgs) throws Exception {
        Path lib = library();
        Path map = Files.writeString(
                dir.resolve("components.tsv"), dev.inlay.model.ComponentMap.write(Map.of(lib.toString(), PURL)));
        Path policy = Files.writeString(
                dir.resolve("policy.yaml"),
                "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: " + policyName + "}\nspec:\n"
                        + "  mode: enforce\n  defaults: {files: allow, network: allow, dns: allow, processes: "
                        + processes + ", nativeLibraries: allow, jndi: allow, deserialization: allow,"
                        + " classDefinition: allow, drift: allow}\n"
                        + rules);
        List<String> command = new ArrayList<>(command(jdk, lib, "components=" + map));
        command.addAll(List.of(probeArgs));
        AgentRun run = AgentRun.exec(command, Map.of("INLAY_POLICY", policy.toString()));
        assertEquals(0, run.exitCode, run.describe());
        return run;
    }

    private static String component(Map<String, JsonNode> reads, String file) {
        JsonNode read = reads.entrySet().stream()
                .filter(e -> e.getKey().endsWith("/data/" + file))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        return read == null ? "<not recorded>" : read.path("component").asText("<none>");
    }

    private List<String> command(int jdk, Path lib, String agentArgs) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (String f : List.of("by-lib", "by-lib-reflectively", "by-app", "by-app-reflectively")) {
            Files.writeString(data.resolve(f), "x");
        }
        return List.of(
                AgentRun.java(jdk).toString(),
                "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + (agentArgs.isEmpty() ? "" : "=" + agentArgs),
                "-cp",
                AgentRun.testClasses() + ":" + lib,
                "dev.inlay.probe.Attributed",
                "attr.lib.Opener",
                data.resolve("by-lib").toString(),
                data.resolve("by-lib-reflectively").toString(),
                data.resolve("by-app").toString(),
                data.resolve("by-app-reflectively").toString());
    }

    /** A jar with {@code attr.lib.Opener}, compiled here: a library apart from the application's class directory. */
    private Path library() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/attr/lib"));
        Path file = Files.writeString(
                src.resolve("Opener.java"),
                "package attr.lib; public class Opener {\n"
                        + "  public static void open(String p) throws Exception { new java.io.FileInputStream(p).close(); }\n"
                        + "  public static void openReflectively(String p) throws Exception {\n"
                        + "    java.nio.file.Files.class.getMethod(\"readAllBytes\", java.nio.file.Path.class)\n"
                        + "        .invoke(null, java.nio.file.Path.of(p));\n"
                        + "  }\n"
                        + "  public static void run(String exe) throws Exception { new ProcessBuilder(exe).start().waitFor(); }\n"
                        + "}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "--release", "17", "-d", classes.toString(), file.toString()));
        Path jar = Files.createDirectories(dir.resolve("lib")).resolve("attr-lib-1.0.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new ZipEntry("attr/lib/Opener.class"));
            j.write(Files.readAllBytes(classes.resolve("attr/lib/Opener.class")));
            j.closeEntry();
        }
        return jar;
    }
}
