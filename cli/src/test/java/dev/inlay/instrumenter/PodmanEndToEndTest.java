package dev.inlay.instrumenter;

import dev.inlay.model.AgentFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertAgentStarted(output, javaVersionPrefix, AgentFlag.JAVAAGENT);
    }

    /** The same, the agent loaded with {@code flag} (the java launcher names JDK_JAVA_OPTIONS, the JVM the other). */
    private void assertAgentStarted(String output, String javaVersionPrefix, AgentFlag flag) {
        String pickedUp =
                flag == AgentFlag.AGENTLIB ? "NOTE: Picked up JDK_JAVA_OPTIONS: " : "Picked up JAVA_TOOL_OPTIONS: ";
        assertTrue(output.contains(pickedUp + flag.layerOption()), output);
        assertTrue(output.contains("\"inlay\":\"status\""), "the agent's start line: " + output);
        assertTrue(output.contains("\"status\":\"started\""), output);
        assertTrue(output.contains("\"java\":\"" + javaVersionPrefix), output);
        Matcher hooked = HOOKED.matcher(output.substring(output.indexOf("\"status\":\"started\"")));
        assertTrue(hooked.find(), output);
        assertTrue(Integer.parseInt(hooked.group(1)) >= 8, output);
        assertEquals(hooked.group(1), hooked.group(2), "hooked with the classes computed at wrap time: " + output);
        assertTrue(
                output.contains("\"bridge\":\"boot-class-path\""),
                "the bridge from the jar's Boot-Class-Path: " + output);
    }

    /**
     * Issue #19: a policy learned in the Debian JRE 17 image (java.home /usr/lib/jvm/java-17-openjdk-amd64, the
     * application in /x/learn) holds in the jlink'd Temurin 25 image (/opt/java/openjdk, the application in
     * /x/enforce): the generated policy names roots, not paths, and the JDK's own container reads are the baseline's.
     */
    @Test
    void aPolicyLearnedInTheJre17ImageEnforcesInTheJre25Image() throws Exception {
        Path agent = ROOT.resolve("runtime-layer/target/inlay-agent.jar");
        Cli.requireTool(Files.isRegularFile(agent), agent + " (mvn package -pl runtime-layer)");
        String jre17 = loaded("jre17");
        String jre25 = loaded("jre25");
        Path x = Files.createDirectories(tmp.resolve("x"));
        Files.copy(agent, x.resolve("inlay-agent.jar"));
        for (String dir : new String[] {"learn", "enforce"}) {
            Path jar = Files.createDirectories(x.resolve(dir)).resolve("app.jar");
            java.util.jar.Manifest manifest = new java.util.jar.Manifest();
            manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, TravelApp.class.getName());
            try (java.util.jar.JarOutputStream out =
                    new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
                String name = TravelApp.class.getName().replace('.', '/') + ".class";
                out.putNextEntry(new java.util.jar.JarEntry(name));
                try (java.io.InputStream in = TravelApp.class.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(out);
                }
            }
        }
        String learned = podman(
                "run",
                "--rm",
                "-v",
                x + ":/x",
                "-w",
                "/x/learn",
                jre17,
                "java",
                "-javaagent:/x/inlay-agent.jar=mode=learn",
                "-jar",
                "/x/learn/app.jar");
        assertTrue(learned.contains("TRAVEL-OK") && learned.contains("\"inlay\":\"profile\""), learned);
        dev.inlay.profiler.profile.MergedProfile profile = new dev.inlay.profiler.profile.MergedProfile();
        dev.inlay.profiler.profile.ProfileReader.read(new java.io.StringReader(learned), profile);
        String yaml = dev.inlay.profiler.generate.PolicyGenerator.generate(
                        profile, dev.inlay.profiler.generate.PolicyGenerator.Options.defaults())
                .toYaml();
        for (String line : yaml.split("\n")) {
            assertTrue(
                    line.strip().startsWith("#")
                            || !(line.contains("/usr/lib/jvm")
                                    || line.contains("/x/learn")
                                    || line.contains("/sys/fs/cgroup")
                                    || line.contains("/proc/self/mountinfo")),
                    "roots, not the learning image's paths:\n" + yaml);
        }
        Files.writeString(x.resolve("policy.yaml"), yaml);
        String enforced = podman(
                "run",
                "--rm",
                "-v",
                x + ":/x",
                "-w",
                "/x/enforce",
                jre25,
                "java",
                "-javaagent:/x/inlay-agent.jar=policy=/x/policy.yaml",
                "-jar",
                "/x/enforce/app.jar");
        assertTrue(enforced.contains("\"mode\":\"enforce\"") && enforced.contains("\"java\":\"25"), enforced);
        assertTrue(enforced.contains("TRAVEL-OK"), "policy:\n" + yaml + "\n" + enforced);
        assertTrue(
                !enforced.contains("\"inlay\":\"event\""), "no denial in the JRE 25 image:\n" + yaml + "\n" + enforced);
    }

    /** The fixture image loaded into podman; its tag. */
    private static String loaded(String name) throws Exception {
        Path script = ROOT.resolve("scripts/fixtures.sh");
        Cli.requireTool(Files.isExecutable(script), "scripts/fixtures.sh");
        Processes.Result r = Processes.run(1800, script.toString(), "podman-load", name);
        Cli.requireTool(r.exitCode() == 0, "fixture " + name + ": " + r.output());
        String[] lines = r.output().trim().split("\n");
        return lines[lines.length - 1].trim();
    }

    @Test
    void jre17ThroughDockerArchiveAndPodmanLoad() throws Exception {
        Cli.requireTool(Cli.onPath("podman"), "podman");
        Path layout = fixture("jre17-oci");
        Path archive = tmp.resolve("jre17.tar");
        String tag =
                "localhost/inlay-test/jre17:" + UUID.randomUUID().toString().substring(0, 8);
        // The image's cmd is `java -version`, no class-path launch: wrap would choose -javaagent; told agentlib, the
        // Debian JRE keeps its archived module graph with the agent (docs/WRAPPING.md, "How the agent is loaded").
        Cli.Result r = Cli.run(
                "wrap",
                "oci:" + layout,
                "docker-archive:" + archive + ":" + tag,
                "--mode",
                "learn",
                "--agent-flag",
                "agentlib",
                "-q");
        assertEquals(0, r.exitCode(), r.toString());
        podman("load", "-q", "-i", archive.toString());
        try {
            String out = podman("run", "--rm", tag, "java", "-Xlog:cds=info", "-version");
            assertAgentStarted(out, "17", AgentFlag.AGENTLIB);
            assertTrue(out.contains("full module graph: enabled"), out);
            // The JDK's tools are module launches: they do not read JDK_JAVA_OPTIONS, so they start (with the
            // option in JAVA_TOOL_OPTIONS they would abort: AgentLifecycleIT).
            String keytool = podman("run", "--rm", tag, "keytool", "-help");
            assertTrue(keytool.contains("Key and Certificate Management Tool"), keytool);
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
        assertAgentStarted(out, "25"); // `java -version` is no class-path launch: -javaagent
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
        // The archive's module graph matches either agent option: java.instrument added for -javaagent, not for
        // -agentlib:instrument= (docs/WRAPPING.md, "How the agent is loaded").
        for (AgentFlag flag : AgentFlag.values()) {
            Path archive = tmp.resolve("jre25-cds-" + flag.wireName() + ".oci.tar");
            Cli.Result r = Cli.run(
                    "wrap",
                    "oci:" + layout,
                    "oci-archive:" + archive + ":w",
                    "--mode",
                    "learn",
                    "--startup-archive",
                    "--agent-flag",
                    flag.wireName(),
                    "-q");
            assertEquals(0, r.exitCode(), r.toString());
            String out = podman("run", "--rm", "oci-archive:" + archive + ":w", "java", "-Xlog:cds=info", "-version");
            assertAgentStarted(out, "25", flag);
            assertTrue(out.contains("-XX:SharedArchiveFile=/opt/inlay/startup.jsa"), out);
            assertTrue(out.contains("trying to map /opt/inlay/startup.jsa"), out);
            assertTrue(out.contains("full module graph: enabled"), flag + ": " + out);
            assertTrue(!out.contains("[error]") && !out.contains("[warning]"), out);
        }
    }

    /**
     * An image wrapped from an OCI directory on this machine, pushed to a registry and run with the environment
     * {@code inlay deploy} writes: its events name the image as deployed (repository and digest) and carry no trace of
     * the build machine's path.
     */
    @Test
    void eventsOfARegistryDeployedImageNameItAsDeployedNotTheBuildDirectory() throws Exception {
        Cli.requireTool(Cli.onPath("podman"), "podman");
        Path layout = fixture("jre17-oci").toAbsolutePath();
        String registry = fixture("registry").toString();
        String repository = registry + "/inlay-test/events";
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path policy = Files.writeString(
                tmp.resolve("policy.yaml"),
                String.join(
                        "\n",
                        "apiVersion: inlay.dev/v1",
                        "kind: Policy",
                        "metadata: {name: events-identity}",
                        "spec:",
                        "  mode: monitor",
                        "  defaults: {files: allow, network: allow, dns: allow, processes: allow, nativeLibraries: allow,"
                                + " jndi: allow, deserialization: allow, classDefinition: allow, drift: allow}",
                        "  files:",
                        "    - {id: no-hostname-file, action: deny, paths: [/etc/hostname]}",
                        ""));
        Cli.Result wrap = Cli.run(
                "wrap",
                "oci:" + layout,
                repository + ":" + tag,
                "--mode",
                "monitor",
                "--policy",
                policy.toString(),
                "-q");
        assertEquals(0, wrap.exitCode(), wrap.toString());
        String deployed = repository + ":" + tag + "@" + wrap.out().trim();

        // The environment inlay deploy gives the container (literal values; the downward API is the kubelet's).
        Path pod = Files.writeString(
                tmp.resolve("pod.yaml"),
                "apiVersion: v1\nkind: Pod\nmetadata: {name: orders}\n"
                        + "spec:\n  containers:\n    - name: orders\n      image: shop/orders:1\n");
        Cli.Result deploy = Cli.run(
                "deploy", "k8s", pod.toString(), "--image-map", "shop/orders:1=" + deployed, "--mode", "monitor");
        assertEquals(0, deploy.exitCode(), deploy.toString());
        com.fasterxml.jackson.databind.JsonNode container = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(deploy.out())
                .path("spec")
                .path("containers")
                .get(0);
        assertEquals(deployed, container.path("image").asText());
        java.util.List<String> run = new java.util.ArrayList<>(
                java.util.List.of("run", "--rm", "--tls-verify=false", "--hostname", "orders-7d9f"));
        for (com.fasterxml.jackson.databind.JsonNode env : container.path("env")) {
            if (env.has("value"))
                run.addAll(java.util.List.of(
                        "-e",
                        env.path("name").asText() + "=" + env.path("value").asText()));
        }
        run.addAll(java.util.List.of(
                "-v",
                probeClasses() + ":/probe:ro",
                deployed,
                "sh",
                "-c",
                "cat /opt/inlay/inlay.properties && exec java -cp /probe ReadHostname"));
        String out;
        try {
            out = podman(run.toArray(new String[0]));
        } finally {
            Processes.run(60, "podman", "rmi", "-f", deployed);
        }
        assertTrue(out.contains("READ /etc/hostname"), "monitor mode: the read went ahead: " + out);
        assertTrue(out.contains("imageManifestDigest=sha256:"), "inlay.properties was printed: " + out);
        assertFalse(out.contains(layout.toString()), "the image or its events name the build directory: " + out);
        java.util.List<com.fasterxml.jackson.databind.JsonNode> events = new java.util.ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : out.split("\n")) {
            int brace = line.indexOf("{\"inlay\"");
            if (brace < 0) continue;
            assertFalse(
                    line.contains(layout.toString()) || line.contains("inlay-fixtures") || line.contains("oci:"),
                    "an agent line names the build machine's directory: " + line);
            com.fasterxml.jackson.databind.JsonNode node = json.readTree(line.substring(brace));
            if (node.path("inlay").asText().equals("event")) events.add(node);
        }
        assertFalse(events.isEmpty(), "the denied read of /etc/hostname is an event: " + out);
        for (com.fasterxml.jackson.databind.JsonNode event : events) {
            com.fasterxml.jackson.databind.JsonNode workload = event.path("workload");
            assertEquals(deployed, workload.path("image").asText(), event.toString());
            assertEquals(wrap.out().trim(), workload.path("imageDigest").asText(), event.toString());
            assertEquals("orders-7d9f", workload.path("hostname").asText(), event.toString());
            assertTrue(workload.path("originalManifestDigest").asText().startsWith("sha256:"), event.toString());
            assertEquals("events-identity", event.path("policy").path("name").asText(), event.toString());
        }
    }

    /** A class (Java 17) that reads /etc/hostname, compiled here: the JRE images have no compiler. */
    private Path probeClasses() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("probe-src")).resolve("ReadHostname.java");
        Files.writeString(
                src,
                "public class ReadHostname { public static void main(String[] a) throws Exception {"
                        + " try (java.io.FileInputStream in = new java.io.FileInputStream(\"/etc/hostname\")) {"
                        + " in.readAllBytes(); System.out.println(\"READ /etc/hostname\"); } } }");
        Path classes = Files.createDirectories(tmp.resolve("probe-classes"));
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler()
                .run(null, null, null, "--release", "17", "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "javac");
        return classes;
    }

    @Test
    void aStartupArchiveIsRefusedForAJdkBefore23() throws Exception {
        Path layout = fixture("jre17-oci");
        Cli.Result r = Cli.run(
                "wrap",
                "oci:" + layout,
                "oci:" + tmp.resolve("out") + ":w",
                "--mode",
                "learn",
                "--startup-archive",
                "-q");
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(
                r.err().contains("--startup-archive: the image's JVM")
                        && r.err().contains("is Java 17"),
                r.toString());
    }
}
