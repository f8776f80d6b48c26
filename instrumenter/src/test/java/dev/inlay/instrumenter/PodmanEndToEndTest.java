package dev.inlay.instrumenter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real JRE images (scripts/fixtures.sh) wrapped and run under podman: the agent must start inside the container. */
class PodmanEndToEndTest {
    @TempDir
    Path tmp;

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static Path fixture(String name) throws Exception {
        Path script = ROOT.resolve("scripts/fixtures.sh");
        Cli.requireTool(Files.isExecutable(script), "scripts/fixtures.sh");
        Processes.Result r = Processes.run(1800, script.toString(), name);
        Cli.requireTool(r.exitCode() == 0, "fixture " + name + ": " + r.output());
        String[] lines = r.output().trim().split("\n");
        return Path.of(lines[lines.length - 1].trim());
    }

    static String podman(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = ROOT.resolve("scripts/podman.sh").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Processes.ok(300, cmd);
    }

    private static final Pattern HOOKED = Pattern.compile("\"transformed\":(\\d+),\"precomputed\":(\\d+)");

    /**
     * The agent started in the container, hooked every JDK class loaded before it with the bytes inlay wrap computed
     * from the image's own JDK (no ASM at startup), and found its bridge on the boot class path.
     */
    private void assertAgentStarted(String output, String javaVersionPrefix) {
        assertTrue(output.contains("Picked up JAVA_TOOL_OPTIONS: -javaagent:/opt/inlay/inlay-agent.jar"), output);
        assertTrue(output.contains("\"inlay\":\"status\""), "the agent's start line: " + output);
        assertTrue(output.contains("\"status\":\"started\""), output);
        assertTrue(output.contains("\"java\":\"" + javaVersionPrefix), output);
        Matcher hooked = HOOKED.matcher(output.substring(output.indexOf("\"status\":\"started\"")));
        assertTrue(hooked.find(), output);
        assertTrue(Integer.parseInt(hooked.group(1)) >= 8, output);
        assertEquals(hooked.group(1), hooked.group(2), "hooked with the classes computed at wrap time: " + output);
        assertTrue(output.contains("\"bridge\":\"boot-class-path\""), "the bridge from the jar's Boot-Class-Path: "
                + output);
    }

    @Test
    void jre17ThroughDockerArchiveAndPodmanLoad() throws Exception {
        Cli.requireTool(Cli.onPath("podman"), "podman");
        Path layout = fixture("jre17-oci");
        Path archive = tmp.resolve("jre17.tar");
        String tag = "localhost/inlay-test/jre17:" + UUID.randomUUID().toString().substring(0, 8);
        Cli.Result r = Cli.run("wrap", "oci:" + layout, "docker-archive:" + archive + ":" + tag, "--mode", "learn", "-q");
        assertEquals(0, r.exitCode(), r.toString());
        podman("load", "-q", "-i", archive.toString());
        try {
            assertAgentStarted(podman("run", "--rm", tag, "java", "-version"), "17");
        } finally {
            Processes.run(60, "podman", "rmi", "-f", tag);
        }
    }

    @Test
    void jre25ThroughOciArchive() throws Exception {
        Cli.requireTool(Cli.onPath("podman"), "podman");
        Path layout = fixture("jre25-oci");
        Path archive = tmp.resolve("jre25.oci.tar");
        Cli.Result r = Cli.run("wrap", "oci:" + layout, "oci-archive:" + archive + ":w", "--mode", "learn", "-q");
        assertEquals(0, r.exitCode(), r.toString());
        String out = podman("run", "--rm", "oci-archive:" + archive + ":w", "java", "-version");
        assertAgentStarted(out, "25");
        assertTrue(out.contains("\"mode\":\"learn\""), out);
        assertTrue(out.contains("\"baseline\":"), "the agent read the drift baseline: " + out);
    }

    /**
     * --startup-archive: the image's own JVM made the archive at wrap time; in the container the JVM with the agent maps
     * it with the archived module graph (without it, -javaagent makes every start resolve the graph), the agent starts
     * as usual, and the JDK's tools still run.
     */
    @Test
    void jre25WithAStartupArchiveMapsTheArchivedModuleGraph() throws Exception {
        Cli.requireTool(Cli.onPath("podman"), "podman");
        Path layout = fixture("jre25-oci");
        Path archive = tmp.resolve("jre25-cds.oci.tar");
        Cli.Result r = Cli.run("wrap", "oci:" + layout, "oci-archive:" + archive + ":w", "--mode", "learn",
                "--startup-archive", "-q");
        assertEquals(0, r.exitCode(), r.toString());
        String out = podman("run", "--rm", "oci-archive:" + archive + ":w", "java", "-Xlog:cds=info", "-version");
        assertAgentStarted(out, "25");
        assertTrue(out.contains("-XX:SharedArchiveFile=/opt/inlay/startup.jsa"), out);
        assertTrue(out.contains("trying to map /opt/inlay/startup.jsa"), out);
        assertTrue(out.contains("full module graph: enabled"), out);
        assertTrue(!out.contains("[error]") && !out.contains("[warning]"), out);
    }

    @Test
    void aStartupArchiveIsRefusedForAJdkBefore23() throws Exception {
        Path layout = fixture("jre17-oci");
        Cli.Result r = Cli.run("wrap", "oci:" + layout, "oci:" + tmp.resolve("out") + ":w", "--mode", "learn",
                "--startup-archive", "-q");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--startup-archive: the image's JVM") && r.err().contains("is Java 17"), r.toString());
    }
}
