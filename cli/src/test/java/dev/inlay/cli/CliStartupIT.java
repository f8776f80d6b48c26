package dev.inlay.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's start-up as docs/CLI.md "Start-up" describes it, run the way a user runs it: bin/inlay over the packaged
 * jar (so after {@code package}). The launcher maps the class data sharing archive the build made, a stale or foreign
 * archive costs nothing and says nothing, and a command line loads the classes of the command it runs only.
 */
class CliStartupIT {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("INLAY_TEST_ROOT", ".."))
            .toAbsolutePath()
            .normalize();
    private static final Path LAUNCHER = ROOT.resolve("bin/inlay");
    private static final Path JAR = ROOT.resolve("cli/target/inlay.jar");
    private static final Path JDK25_JAVA =
            Path.of(System.getProperty("inlay.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
    private static final String POLICY =
            "apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: shop}\nspec:\n  mode: monitor\n";

    @TempDir
    Path tmp;

    /** The launcher's cache of archives for other JDKs: never the user's ~/.cache in a test. */
    @TempDir
    static Path cdsCache;

    record Run(int exitCode, String out, String err) {}

    private static Run run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("INLAY_CLI_JAVA_OPTS");
        pb.environment().remove("INLAY_CLI_CDS");
        pb.environment().remove("JAVA");
        pb.environment().put("INLAY_CLI_CDS_DIR", cdsCache.toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("inlay-startup", ".out");
        Path err = Files.createTempFile("inlay-startup", ".err");
        try {
            Process p =
                    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI did not finish: " + command);
            return new Run(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Run launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return run(env, command);
    }

    @Test
    void theLauncherMapsTheArchiveTheBuildMade() throws Exception {
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), POLICY);
        // -Xshare:on: the JVM refuses to start rather than run without the archive.
        Map<String, String> sharedOnly = Map.of("INLAY_CLI_JAVA_OPTS", "-Xshare:on -Xlog:class+load");
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"--help"}, new String[] {
            "policy", "validate", policy.toString()
        })) {
            Run r = launcher(sharedOnly, args);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("", r.err(), "nothing from the JVM on stderr");
            assertTrue(r.out().contains("dev.inlay.cli.Inlay source: shared objects file"), r.out());
            assertTrue(r.out().contains("picocli.CommandLine source: shared objects file"), r.out());
            assertFalse(r.out().contains("picocli.CommandLine source: file:"), r.out());
        }
        Run validate = launcher(sharedOnly, "policy", "validate", policy.toString());
        assertTrue(
                validate.out().contains("dev.inlay.policy.PolicyParser source: shared objects file"), validate.out());

        Run off = launcher(Map.of("INLAY_CLI_CDS", "0", "INLAY_CLI_JAVA_OPTS", "-Xlog:class+load"), "--version");
        assertEquals(0, off.exitCode(), off.toString());
        assertTrue(off.out().contains("dev.inlay.cli.Inlay source: file:"), "INLAY_CLI_CDS=0 turns it off");
    }

    /** With a JDK other than the build's, the first run makes an archive in the cache that the next runs map. */
    @Test
    void anotherJdkGetsItsOwnArchiveOnItsFirstRun() throws Exception {
        assertTrue(Files.isExecutable(JDK25_JAVA), "JDK 25 is needed: " + JDK25_JAVA);
        Path ownCache = tmp.resolve("cds-cache");
        Map<String, String> jdk25 = Map.of("JAVA", JDK25_JAVA.toString(), "INLAY_CLI_CDS_DIR", ownCache.toString());
        Run first = launcher(jdk25, "--version");
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals("", first.err(), "making the archive says nothing");
        try (var files = Files.list(ownCache)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".jsa")).count(), "one archive for JDK 25");
        }
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), POLICY);
        Map<String, String> sharedOnly = new HashMap<>(jdk25);
        sharedOnly.put("INLAY_CLI_JAVA_OPTS", "-Xshare:on -Xlog:class+load");
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"policy", "validate", policy.toString()})) {
            Run r = launcher(sharedOnly, args);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("", r.err());
            assertTrue(r.out().contains("dev.inlay.cli.Inlay source: shared objects file (top)"), r.out());
            assertTrue(r.out().contains("picocli.CommandLine source: shared objects file (top)"), r.out());
        }
    }

    /**
     * An archive that does not fit (another JDK, a jar built after it, a tree moved elsewhere) is not used, and the
     * user sees the command's output only.
     */
    @Test
    void aForeignOrStaleArchiveIsHarmlessAndSilent() throws Exception {
        assertTrue(Files.isExecutable(JDK25_JAVA), "JDK 25 is needed: " + JDK25_JAVA);
        Path ownCache = tmp.resolve("cds-cache");
        Run otherJdk =
                launcher(Map.of("JAVA", JDK25_JAVA.toString(), "INLAY_CLI_CDS_DIR", ownCache.toString()), "--version");
        assertEquals(0, otherJdk.exitCode(), otherJdk.toString());
        assertTrue(otherJdk.out().startsWith("inlay "), otherJdk.out());
        assertEquals("", otherJdk.err(), "the build's JDK 17 archive is not given to JDK 25, nor does anything warn");

        // A copy of the tree: the archive names the original jar's path, which the JVM checks; then a jar newer
        // than the archive, which the launcher checks.
        Path copy = tmp.resolve("tree");
        Files.createDirectories(copy.resolve("bin"));
        Files.createDirectories(copy.resolve("cli/target"));
        Files.copy(LAUNCHER, copy.resolve("bin/inlay"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String name : List.of("inlay.jar", "inlay.jsa", "inlay.jsa.jdk")) {
            Files.copy(
                    JAR.resolveSibling(name),
                    copy.resolve("cli/target").resolve(name),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path copiedJar = copy.resolve("cli/target/inlay.jar");
        Files.setLastModifiedTime(
                copy.resolve("cli/target/inlay.jsa"),
                FileTime.fromMillis(Files.getLastModifiedTime(copiedJar).toMillis() + 60_000));
        Run moved = run(Map.of(), List.of(copy.resolve("bin/inlay").toString(), "--version"));
        assertEquals(0, moved.exitCode(), moved.toString());
        assertEquals("", moved.err());

        Files.setLastModifiedTime(copiedJar, FileTime.fromMillis(System.currentTimeMillis() + 120_000));
        Run stale = run(
                Map.of("INLAY_CLI_JAVA_OPTS", "-Xlog:class+load"),
                List.of(copy.resolve("bin/inlay").toString(), "--version"));
        assertEquals(0, stale.exitCode(), stale.toString());
        assertEquals("", stale.err());
        assertTrue(stale.out().contains("dev.inlay.cli.Inlay source: file:"), "a jar newer than the archive: not used");
    }

    /** Each command line builds the model of the command it runs only: --version and validate load no Jackson. */
    @Test
    void aCommandLoadsOnlyTheClassesItNeeds() throws Exception {
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), POLICY);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Run version =
                run(Map.of(), List.of(java, "-Xshare:off", "-Xlog:class+load", "-jar", JAR.toString(), "--version"));
        assertEquals(0, version.exitCode(), version.toString());
        assertFalse(version.out().contains("dev.inlay.cli.image.WrapCommand "), "--version builds no command's model");
        assertFalse(version.out().contains("com.fasterxml.jackson"), "--version loads no Jackson");

        Run validate = run(
                Map.of(),
                List.of(
                        java,
                        "-Xshare:off",
                        "-Xlog:class+load",
                        "-jar",
                        JAR.toString(),
                        "policy",
                        "validate",
                        policy.toString()));
        assertEquals(0, validate.exitCode(), validate.toString());
        assertFalse(validate.out().contains("dev.inlay.cli.image.WrapCommand "), validate.out());
        assertFalse(
                validate.out().contains("com.fasterxml.jackson.databind.ObjectMapper "),
                "validate needs no ObjectMapper");
    }
}
