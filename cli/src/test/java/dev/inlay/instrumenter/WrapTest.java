package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.instrumenter.image.Digests;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.model.AgentFlag;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WrapTest {
    @TempDir
    Path tmp;

    private List<byte[]> layers() throws IOException {
        byte[] base = new TestImages.LayerBuilder()
                .dir("usr/bin")
                .file("usr/bin/tool", "#!/bin/sh\necho tool\n", 0755)
                .file("usr/bin/gone", "bye", 0755)
                .file("etc/conf", "not executable", 0644)
                .dir("opt/dir")
                .file("opt/dir/x", "x", 0755)
                .build();
        byte[] jvm = TestImages.jvmLayer("/opt/jdk", "17.0.12");
        byte[] top = new TestImages.LayerBuilder()
                .file("usr/bin/.wh.gone", new byte[0], 0644)
                .file("opt/dir/.wh..wh..opq", new byte[0], 0644)
                .file("opt/dir/y", "y", 0750)
                .hardlink("usr/bin/tool2", "usr/bin/tool")
                .file("app/app.jar", "jar", 0644)
                .build();
        return List.of(base, jvm, top);
    }

    private Path source(String name) throws IOException {
        Path dir = tmp.resolve(name);
        List<byte[]> layers = layers();
        TestImages.ociLayout(dir, "v1", layers, TestImages.config("amd64", layers, null));
        return dir;
    }

    /** index.json entry for the tag, the manifest and the config of an OCI layout. */
    record Read(String manifestDigest, ObjectNode manifest, ObjectNode config, Path dir) {
        byte[] blob(String digest) throws IOException {
            return Files.readAllBytes(dir.resolve("blobs/sha256/" + Digests.hex(digest)));
        }

        Map<String, byte[]> lastLayerFiles() throws IOException {
            JsonNode layers = manifest.path("layers");
            byte[] gz = blob(layers.get(layers.size() - 1).path("digest").asText());
            Map<String, byte[]> files = new HashMap<>();
            try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(gz));
                    TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    if (e.isFile()) files.put(e.getName(), tar.readAllBytes());
                    assertEquals(0, e.getLongUserId());
                    assertEquals(1000L, e.getModTime().getTime());
                }
            }
            return files;
        }
    }

    static Read read(Path dir, String tag) throws IOException {
        ObjectNode index = Json.parseObject(Files.readAllBytes(dir.resolve("index.json")), "index");
        for (JsonNode d : index.path("manifests")) {
            if (tag.equals(d.path("annotations")
                    .path("org.opencontainers.image.ref.name")
                    .asText())) {
                String digest = d.path("digest").asText();
                byte[] m = Files.readAllBytes(dir.resolve("blobs/sha256/" + Digests.hex(digest)));
                assertEquals(digest, Digests.of(m));
                ObjectNode manifest = Json.parseObject(m, "manifest");
                if (manifest.has("manifests")) return new Read(digest, manifest, null, dir);
                String cd = manifest.path("config").path("digest").asText();
                byte[] c = Files.readAllBytes(dir.resolve("blobs/sha256/" + Digests.hex(cd)));
                assertEquals(cd, Digests.of(c));
                return new Read(digest, manifest, Json.parseObject(c, "config"), dir);
            }
        }
        throw new AssertionError("no tag " + tag + " in " + index);
    }

    @Test
    void wrapAddsOneLayerAndKeepsEveryOtherConfigField() throws IOException {
        Path src = source("src");
        Cli.Result r = Cli.run(
                "wrap", "oci:" + src + ":v1", "oci:" + tmp.resolve("out") + ":wrapped", "--mode", "learn", "-q");
        assertEquals(0, r.exitCode(), r.toString());
        Read before = read(src, "v1");
        Read after = read(tmp.resolve("out"), "wrapped");
        assertEquals(after.manifestDigest(), r.out().trim());

        Iterator<String> fields = before.config().fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (f.equals("config") || f.equals("rootfs") || f.equals("history")) continue;
            assertEquals(before.config().get(f), after.config().get(f), f);
        }
        assertEquals(
                List.copyOf(iter(before.config().fieldNames())),
                List.copyOf(iter(after.config().fieldNames())));
        JsonNode bc = before.config().path("config");
        JsonNode ac = after.config().path("config");
        for (String f : List.of(
                "User", "ExposedPorts", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "StopSignal", "Healthcheck")) {
            assertEquals(bc.get(f), ac.get(f), f);
        }
        List<String> env = new ArrayList<>();
        bc.path("Env").forEach(n -> env.add(n.asText()));
        // `java -jar`: a class-path launch, loaded without -javaagent's extra root module, in the java launcher's own
        // variable so that the JDK's tools (module launches) do not load it (docs/WRAPPING.md)
        env.add("JDK_JAVA_OPTIONS=-agentlib:instrument=/opt/inlay/inlay-agent.jar");
        List<String> actualEnv = new ArrayList<>();
        ac.path("Env").forEach(n -> actualEnv.add(n.asText()));
        assertEquals(env, actualEnv);

        JsonNode labels = ac.path("Labels");
        assertEquals("payments", labels.path("org.example.team").asText());
        assertEquals("true", labels.path("dev.inlay.wrapped").asText());
        assertEquals("learn", labels.path("dev.inlay.mode").asText());
        assertEquals("agentlib", labels.path("dev.inlay.agent-flag").asText());
        assertEquals(
                before.manifest().path("config").path("digest").asText(),
                labels.path("dev.inlay.original-digest").asText());
        assertTrue(labels.path("dev.inlay.agent-digest").asText().startsWith("sha256:"));
        assertFalse(labels.has("dev.inlay.policy-digest"));

        assertEquals(
                before.config().path("history").size() + 1,
                after.config().path("history").size());
        for (int i = 0; i < before.config().path("history").size(); i++) {
            assertEquals(
                    before.config().path("history").get(i),
                    after.config().path("history").get(i));
        }
        JsonNode bIds = before.config().path("rootfs").path("diff_ids");
        JsonNode aIds = after.config().path("rootfs").path("diff_ids");
        assertEquals(bIds.size() + 1, aIds.size());
        for (int i = 0; i < bIds.size(); i++) assertEquals(bIds.get(i), aIds.get(i));
        assertEquals(
                aIds.get(aIds.size() - 1).asText(),
                labels.path("dev.inlay.layer-diff-id").asText());
        for (int i = 0; i < bIds.size(); i++) {
            assertEquals(
                    before.manifest().path("layers").get(i),
                    after.manifest().path("layers").get(i));
        }
        assertEquals(
                "tests",
                after.manifest()
                        .path("annotations")
                        .path("org.example.built-by")
                        .asText());
        assertEquals(
                "true",
                after.manifest().path("annotations").path("dev.inlay.wrapped").asText());
        assertEquals(
                before.manifestDigest(),
                after.manifest()
                        .path("annotations")
                        .path("dev.inlay.original-manifest-digest")
                        .asText());

        Map<String, byte[]> files = after.lastLayerFiles();
        assertTrue(files.get("opt/inlay/inlay-agent.jar").length > 0);
        assertEquals(
                labels.path("dev.inlay.agent-digest").asText(), Digests.of(files.get("opt/inlay/inlay-agent.jar")));
        String props = new String(files.get("opt/inlay/inlay.properties"), StandardCharsets.UTF_8);
        assertTrue(props.contains("\nmode=learn\n"), props);
        assertTrue(
                props.contains("imageConfigDigest="
                        + before.manifest().path("config").path("digest").asText()),
                props);
        assertFalse(files.containsKey("opt/inlay/policy.yaml"));
        assertFalse(props.contains("compiledPolicy"), props);
    }

    private static <T> List<T> iter(Iterator<T> it) {
        List<T> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    /**
     * A JDK's lib/modules is read with its own jrt-fs.jar to hook its classes ahead of time (real JDKs: the podman
     * end-to-end test). A JDK whose files cannot be read that way is left to the agent with a warning; one whose
     * lib/modules a later layer removed is not tried at all. Either way the wrap succeeds.
     */
    @Test
    void aJdkThatCannotBeHookedAheadOfTimeIsLeftToTheAgent() throws IOException {
        byte[] jdkFiles = new TestImages.LayerBuilder()
                .file("opt/jdk/lib/modules", "not a jimage", 0644)
                .file("opt/jdk/lib/jrt-fs.jar", "not a jar", 0644)
                .build();
        byte[] removed = new TestImages.LayerBuilder()
                .file("opt/jdk/lib/.wh.modules", new byte[0], 0644)
                .build();
        for (boolean whiteout : new boolean[] {false, true}) {
            List<byte[]> layers = new ArrayList<>(layers());
            layers.add(jdkFiles);
            if (whiteout) layers.add(removed);
            Path src = tmp.resolve("jdk-" + whiteout);
            TestImages.ociLayout(src, "v1", layers, TestImages.config("amd64", layers, null));
            Cli.Result r =
                    Cli.run("wrap", "oci:" + src, "oci:" + tmp.resolve("out-" + whiteout) + ":w", "--mode", "learn");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(
                    !whiteout,
                    r.err().contains("WARNING: cannot hook the classes of the JDK in /opt/jdk ahead of time"),
                    r.toString());
            assertFalse(read(tmp.resolve("out-" + whiteout), "w")
                    .lastLayerFiles()
                    .containsKey("opt/inlay/hooked-classes.bin"));
        }
    }

    /**
     * The layer carries the links under each JDK's home as the merged layers have them (jdk-links.bin), so that the
     * agent does not walk the home before main(): links the agent never looks at (legal/) and links a later layer
     * removed are left out, and the section is the JDK's own (its java.home and release file).
     */
    @Test
    void theLayerCarriesTheLinksUnderEachJdkHome() throws IOException {
        byte[] links = new TestImages.LayerBuilder()
                .symlink("opt/jdk/conf/net.properties", "/etc/java-17/net.properties")
                .symlink("opt/jdk/lib/security/cacerts", "../../../../etc/ssl/certs/java/cacerts")
                .symlink("opt/jdk/legal/java.base/LICENSE", "../../../../usr/share/doc/LICENSE")
                .symlink("opt/jdk/lib/jvm.cfg", "/etc/java-17/jvm.cfg")
                .symlink("opt/other/x", "/etc/x")
                .build();
        byte[] later = new TestImages.LayerBuilder()
                .file("opt/jdk/lib/.wh.jvm.cfg", new byte[0], 0644)
                .build();
        List<byte[]> layers = new ArrayList<>(layers());
        layers.add(links);
        layers.add(later);
        Path src = tmp.resolve("links");
        TestImages.ociLayout(src, "v1", layers, TestImages.config("amd64", layers, null));
        Cli.Result r = Cli.run("wrap", "oci:" + src, "oci:" + tmp.resolve("links-out") + ":w", "--mode", "learn");
        assertEquals(0, r.exitCode(), r.toString());
        byte[] file = read(tmp.resolve("links-out"), "w").lastLayerFiles().get("opt/inlay/jdk-links.bin");
        assertNotNull(file, "the layer carries jdk-links.bin");
        byte[] release = "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"17.0.12\"\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                List.of("/conf/net.properties", "/lib/security/cacerts"),
                List.of(dev.inlay.model.JdkLinkList.links(file, "/opt/jdk", release)));
        assertNull(dev.inlay.model.JdkLinkList.links(file, "/opt/jdk", "JAVA_VERSION=\"21\"\n".getBytes()));
    }

    @Test
    void baselineListsExecutablesOfTheMergedFilesystemAfterWhiteouts() throws IOException {
        Path src = source("src");
        assertEquals(
                0,
                Cli.run("wrap", "oci:" + src, "oci:" + tmp.resolve("out") + ":w", "--mode", "learn", "-q")
                        .exitCode());
        String baseline = new String(
                read(tmp.resolve("out"), "w").lastLayerFiles().get("opt/inlay/baseline.tsv"), StandardCharsets.UTF_8);
        String toolSha = Digests.hex(Digests.of("#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8)));
        String expected = String.join(
                        "\n",
                        Digests.hex(Digests.of("y".getBytes(StandardCharsets.UTF_8))) + "\t1\t/opt/dir/y",
                        Digests.hex(Digests.of("\u007fELF fake java".getBytes(StandardCharsets.UTF_8)))
                                + "\t14\t/opt/jdk/bin/java",
                        toolSha + "\t20\t/usr/bin/tool",
                        toolSha + "\t20\t/usr/bin/tool2")
                + "\n";
        assertEquals(expected, baseline);
    }

    @Test
    void rewrapReplacesTheLayerAndUnwrapRestoresTheOriginalDigest() throws Exception {
        Path src = source("src");
        Path out = tmp.resolve("out");
        assertEquals(
                0,
                Cli.run("wrap", "oci:" + src, "oci:" + out + ":w1", "--mode", "learn", "-q")
                        .exitCode());
        Cli.Result again = Cli.run(
                "wrap",
                "oci:" + out + ":w1",
                "oci:" + out + ":w2",
                "--mode",
                "monitor",
                "--policy",
                Cli.policyFile(tmp),
                "-q");
        assertEquals(0, again.exitCode(), again.toString());
        Read original = read(src, "v1");
        Read w1 = read(out, "w1");
        Read w2 = read(out, "w2");
        assertEquals(
                original.manifest().path("layers").size() + 1,
                w2.manifest().path("layers").size());
        assertEquals(
                "monitor",
                w2.config().path("config").path("Labels").path("dev.inlay.mode").asText());
        assertEquals(1, count(w2.config().path("config").path("Env").toString(), "/opt/inlay/inlay-agent.jar"));
        assertNotEquals(w1.manifestDigest(), w2.manifestDigest());
        Cli.Result noPolicy = Cli.run("wrap", "oci:" + out + ":w1", "oci:" + out + ":w3", "--mode", "monitor", "-q");
        assertEquals(3, noPolicy.exitCode(), "monitor needs a policy: " + noPolicy);

        // The policy travels as written, pinned by digest, and compiled into inlay.properties itself.
        Map<String, byte[]> layer = w2.lastLayerFiles();
        byte[] yaml = java.nio.file.Files.readAllBytes(Path.of(Cli.policyFile(tmp)));
        assertArrayEquals(yaml, layer.get("opt/inlay/policy.yaml"));
        String props = new String(layer.get("opt/inlay/inlay.properties"), StandardCharsets.UTF_8);
        assertTrue(props.contains("\npolicyDigest=" + Digests.of(yaml) + "\n"), props);
        java.util.Properties parsed = new java.util.Properties();
        parsed.load(new java.io.StringReader(props));
        byte[] compiled = java.util.Base64.getDecoder().decode(parsed.getProperty("compiledPolicy"));
        assertEquals(
                dev.inlay.policy.PolicyParser.parse(new String(yaml, StandardCharsets.UTF_8), "p"),
                dev.inlay.policy.CompiledPolicy.read(compiled, "compiledPolicy"));
        assertFalse(layer.containsKey("opt/inlay/policy.bin"), "one copy of the compiled policy, where the pins are");

        Cli.Result un = Cli.run("unwrap", "oci:" + out + ":w2", "oci:" + tmp.resolve("orig") + ":back", "-q");
        assertEquals(0, un.exitCode(), un.toString());
        assertEquals(
                original.manifestDigest(), read(tmp.resolve("orig"), "back").manifestDigest());
        assertEquals(original.manifestDigest(), un.out().trim());

        Cli.Result notWrapped = Cli.run("unwrap", "oci:" + src + ":v1", "oci:" + tmp.resolve("x"), "-q");
        assertEquals(3, notWrapped.exitCode(), notWrapped.toString());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    /**
     * Issue 19, point 4: {@code --shadow-policy} bakes the candidate beside the policy, compiled and pinned by its
     * digest like it; the agent of the wrapped layer starts from that compiled form (the YAML paths under /opt/inlay
     * do not exist on this machine) and reports what the candidate would deny without changing the decision.
     */
    @Test
    void aShadowPolicyIsBakedCompiledAndPinnedAndTheAgentRunsItBesideThePolicy() throws Exception {
        Path src = source("src");
        Path out = tmp.resolve("out");
        String defaults =
                "  defaults: {files: allow, network: allow, dns: allow, processes: allow, nativeLibraries: allow,"
                        + " jndi: allow, deserialization: allow, classDefinition: allow, drift: allow, capabilities: allow}\n";
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "s");
        Path policy = Files.writeString(
                tmp.resolve("policy.yaml"),
                "apiVersion: inlay.dev/v1\nkind: Policy\n" + "metadata: {name: current}\nspec:\n  mode: enforce\n"
                        + defaults);
        Path candidate = Files.writeString(
                tmp.resolve("candidate.yaml"),
                "apiVersion: inlay.dev/v1\nkind: Policy\n"
                        + "metadata: {name: candidate}\nspec:\n  mode: enforce\n" + defaults
                        + "  files:\n    - {id: no-secret, action: deny, paths: [\"" + secret + "\"]}\n");
        Cli.Result wrapped = Cli.run(
                "wrap",
                "oci:" + src,
                "oci:" + out + ":s",
                "--mode",
                "enforce",
                "--policy",
                policy.toString(),
                "--shadow-policy",
                candidate.toString(),
                "--json",
                "-q");
        assertEquals(0, wrapped.exitCode(), wrapped.toString());
        byte[] yaml = Files.readAllBytes(candidate);
        assertTrue(wrapped.out().contains("\"shadowPolicyDigest\":\"" + Digests.of(yaml) + "\""), wrapped.out());
        Read w = read(out, "s");
        assertEquals(
                Digests.of(yaml),
                w.config()
                        .path("config")
                        .path("Labels")
                        .path("dev.inlay.shadow-policy-digest")
                        .asText());
        Cli.Result inspect = Cli.run("inspect", "oci:" + out + ":s", "--json", "-q");
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("\"shadowPolicyDigest\":\"" + Digests.of(yaml) + "\""), inspect.out());
        Map<String, byte[]> layer = w.lastLayerFiles();
        assertArrayEquals(yaml, layer.get("opt/inlay/shadow-policy.yaml"));
        java.util.Properties props = new java.util.Properties();
        props.load(new java.io.ByteArrayInputStream(layer.get("opt/inlay/inlay.properties")));
        assertEquals("/opt/inlay/shadow-policy.yaml", props.getProperty("shadowPolicy"));
        assertEquals(Digests.of(yaml), props.getProperty("shadowPolicyDigest"));
        assertEquals(
                dev.inlay.policy.PolicyParser.parse(new String(yaml, StandardCharsets.UTF_8), "c"),
                dev.inlay.policy.CompiledPolicy.read(
                        java.util.Base64.getDecoder().decode(props.getProperty("shadowCompiledPolicy")),
                        "shadowCompiledPolicy"));

        // The layer's agent, as the image would run it.
        Path root = tmp.resolve("root");
        for (Map.Entry<String, byte[]> f : layer.entrySet()) {
            Path file = root.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, f.getValue());
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                        java.toString(),
                        "-agentlib:instrument=" + root.resolve("opt/inlay/inlay-agent.jar"),
                        "-cp",
                        Path.of("target/test-classes").toAbsolutePath().toString(),
                        ReadsHostname.class.getName(),
                        secret.toString())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_") || k.equals("JAVA_TOOL_OPTIONS"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("READ 1"), "the policy in force decides: " + output);
        assertTrue(
                output.contains("\"status\":\"started\"")
                        && output.contains("\"shadowPolicy\":\"candidate\"")
                        && output.contains("\"shadowPolicyDigest\":\"" + Digests.of(yaml) + "\""),
                output);
        String shadow = output.lines()
                .filter(l -> l.contains("{\"inlay\":\"shadow\""))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no shadow line: " + output));
        assertTrue(
                shadow.contains("\"resource\":\"" + secret + "\"")
                        && shadow.contains("\"rule\":\"no-secret\"")
                        && shadow.contains("\"current\":{\"action\":\"allow\",\"rule\":\"default/files\""),
                shadow);
        assertTrue(output.contains("{\"inlay\":\"shadow-hits\"") && output.contains("\"no-secret\":1"), output);

        Cli.Result learn = Cli.run(
                "wrap",
                "oci:" + src,
                "oci:" + tmp.resolve("l"),
                "--mode",
                "learn",
                "--shadow-policy",
                candidate.toString(),
                "-q");
        assertEquals(2, learn.exitCode(), "nothing to stand beside in learn mode: " + learn);
        Path broken = Files.writeString(
                tmp.resolve("broken.yaml"),
                "apiVersion: inlay.dev/v1\nkind: Policy\n"
                        + "metadata: {name: broken}\nspec:\n  files:\n    - {id: x, paths: [relative]}\n");
        Cli.Result bad = Cli.run(
                "wrap",
                "oci:" + src,
                "oci:" + tmp.resolve("b"),
                "--mode",
                "enforce",
                "--policy",
                policy.toString(),
                "--shadow-policy",
                broken.toString(),
                "-q");
        assertEquals(3, bad.exitCode(), "a candidate that does not parse: " + bad);
        assertTrue(bad.err().contains("broken.yaml"), bad.err());
        assertFalse(Files.exists(tmp.resolve("b")));
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }

    @Test
    void wrappingIsReproducible() throws IOException {
        Path src = source("src");
        Cli.Result a = Cli.run("wrap", "oci:" + src, "oci:" + tmp.resolve("a") + ":w", "--mode", "learn", "-q");
        Cli.Result b = Cli.run("wrap", "oci:" + src, "oci:" + tmp.resolve("b") + ":w", "--mode", "learn", "-q");
        assertEquals(0, a.exitCode());
        assertEquals(a.out(), b.out());
    }

    @Test
    void existingJavaToolOptionsIsKeptAndExtended() throws IOException {
        List<byte[]> layers = layers();
        Path src = tmp.resolve("src");
        TestImages.ociLayout(
                src,
                "v1",
                layers,
                TestImages.config(
                        "amd64",
                        layers,
                        c -> TestImages.env(c)
                                .insert(1, "JAVA_TOOL_OPTIONS=-Xmx64m")
                                .insert(2, "JDK_JAVA_OPTIONS=-Dlocale=fr")));
        // Each option extends the variable that carries it; the other variable stays as it was.
        String[][] cases = {
            {
                "agentlib",
                "JAVA_TOOL_OPTIONS=-Xmx64m",
                "JDK_JAVA_OPTIONS=-Dlocale=fr -agentlib:instrument=/opt/inlay/inlay-agent.jar"
            },
            {
                "javaagent",
                "JAVA_TOOL_OPTIONS=-Xmx64m -javaagent:/opt/inlay/inlay-agent.jar",
                "JDK_JAVA_OPTIONS=-Dlocale=fr"
            },
        };
        for (String[] c : cases) {
            Path out = tmp.resolve("out-" + c[0]);
            assertEquals(
                    0,
                    Cli.run("wrap", "oci:" + src, "oci:" + out + ":w", "--mode", "learn", "--agent-flag", c[0], "-q")
                            .exitCode());
            JsonNode env = read(out, "w").config().path("config").path("Env");
            assertEquals(c[1], env.get(1).asText());
            assertEquals(c[2], env.get(2).asText());
            assertEquals(6, env.size(), env.toString());
        }
    }

    /**
     * A launch of a named module gets -javaagent, which resolves java.instrument for it (with -agentlib:instrument= that
     * JVM refuses to start: AgentLifecycleIT); --agent-flag overrides the choice either way, and a wrong value is named.
     */
    @Test
    void aModuleLaunchIsLoadedWithJavaagentAndTheFlagCanBeChosen() throws IOException {
        List<byte[]> layers = layers();
        Path modular = tmp.resolve("modular");
        TestImages.ociLayout(modular, "v1", layers, TestImages.config("amd64", layers, c -> {
            com.fasterxml.jackson.databind.node.ObjectNode rc =
                    (com.fasterxml.jackson.databind.node.ObjectNode) c.path("config");
            rc.putArray("Cmd").add("-p").add("/app/mods").add("-m").add("app/app.Main");
        }));
        Path plain = tmp.resolve("plain");
        TestImages.ociLayout(plain, "v1", layers, TestImages.config("amd64", layers, null));
        // A JDK 8 launcher ignores JDK_JAVA_OPTIONS: the agent would silently not load there.
        List<byte[]> java8 = List.of(TestImages.jvmLayer("/opt/jdk", "1.8.0_392"));
        Path old = tmp.resolve("java8");
        TestImages.ociLayout(old, "v1", java8, TestImages.config("amd64", java8, null));
        Path versioned = tmp.resolve("versioned");
        TestImages.ociLayout(
                versioned,
                "v1",
                layers,
                TestImages.config("amd64", layers, c -> TestImages.env(c).add("JAVA_VERSION=jdk-17.0.12+7")));
        String[][] cases = {
            {"oci:" + modular, "auto", "javaagent", null},
            {"oci:" + plain, "auto", "agentlib", null},
            {"oci:" + plain, "javaagent", "javaagent", null},
            {"oci:" + modular, "agentlib", "agentlib", null},
            {"oci:" + old, "auto", "javaagent", null},
            // Without the layers the config's java command line and JAVA_VERSION tell; without JAVA_VERSION, -javaagent
            {"oci:" + versioned, "auto", "agentlib", "--no-baseline"},
            {"oci:" + plain, "auto", "javaagent", "--no-baseline"},
            {"oci:" + modular, "auto", "javaagent", "--no-baseline"},
        };
        for (int i = 0; i < cases.length; i++) {
            Path out = tmp.resolve("flag-out-" + i);
            List<String> args = new ArrayList<>(
                    List.of("wrap", cases[i][0], "oci:" + out + ":w", "--mode", "learn", "--agent-flag", cases[i][1]));
            if (cases[i][3] != null) args.add(cases[i][3]);
            args.addAll(List.of("--json", "-q"));
            Cli.Result r = Cli.run(args.toArray(new String[0]));
            assertEquals(0, r.exitCode(), r.toString());
            AgentFlag expected = AgentFlag.fromWireName(cases[i][2]);
            JsonNode config = read(out, "w").config().path("config");
            assertTrue(
                    config.path("Env").toString().contains(expected.variable() + "=" + expected.layerOption()),
                    String.join(" ", cases[i]) + ": " + config.path("Env"));
            assertEquals(
                    cases[i][2],
                    config.path("Labels").path("dev.inlay.agent-flag").asText());
            assertTrue(r.out().contains("\"agentFlag\":\"" + cases[i][2] + "\""), r.out());
        }
        Cli.Result bad = Cli.run(
                "wrap",
                "oci:" + plain,
                "oci:" + tmp.resolve("flag-bad") + ":w",
                "--mode",
                "learn",
                "--agent-flag",
                "javaAgent",
                "-q");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--agent-flag must be auto, agentlib or javaagent, not javaAgent"), bad.err());
    }

    @Test
    void dockerArchiveRoundTrip() throws IOException {
        List<byte[]> layers = layers();
        ObjectNode config = TestImages.config("amd64", layers, null);
        Path archive = tmp.resolve("app.tar");
        TestImages.dockerArchive(archive, "example/app:1", layers, config);
        Path wrapped = tmp.resolve("wrapped.tar");
        Cli.Result r = Cli.run(
                "wrap",
                "docker-archive:" + archive,
                "docker-archive:" + wrapped + ":example/app:wrapped",
                "--mode",
                "learn",
                "-q");
        assertEquals(0, r.exitCode(), r.toString());
        Path oci = tmp.resolve("oci");
        assertEquals(
                0,
                Cli.run("wrap", "docker-archive:" + wrapped, "oci:" + oci + ":w", "--mode", "learn", "-q")
                        .exitCode());
        Read w = read(oci, "w");
        assertEquals(layers.size() + 1, w.manifest().path("layers").size());
        Path back = tmp.resolve("back.tar");
        Cli.Result un = Cli.run("unwrap", "docker-archive:" + wrapped, "docker-archive:" + back, "-q");
        assertEquals(0, un.exitCode(), un.toString());
        try (var tar = new org.apache.commons.compress.archivers.tar.TarFile(back)) {
            List<String> names =
                    tar.getEntries().stream().map(TarArchiveEntry::getName).toList();
            assertTrue(names.contains(Digests.hex(Digests.of(Json.bytes(config))) + ".json"), names.toString());
            assertEquals(layers.size() + 2, names.size(), names.toString());
        }
    }

    @Test
    void multiPlatformIndexWrapsEveryPlatformOrTheChosenOne() throws IOException {
        List<byte[]> layers = layers();
        Path src = tmp.resolve("src");
        String indexDigest = TestImages.ociIndexLayout(src, "multi", List.of("amd64", "arm64"), layers);
        Path out = tmp.resolve("out");
        assertEquals(
                0,
                Cli.run("wrap", "oci:" + src + ":multi", "oci:" + out + ":all", "--mode", "learn", "-q")
                        .exitCode());
        Read all = read(out, "all");
        assertEquals(2, all.manifest().path("manifests").size());
        for (JsonNode d : all.manifest().path("manifests")) {
            ObjectNode m = Json.parseObject(all.blob(d.path("digest").asText()), "m");
            assertEquals(layers.size() + 1, m.path("layers").size());
            assertTrue(d.path("platform").has("architecture"));
        }
        assertEquals(
                0,
                Cli.run(
                                "wrap",
                                "oci:" + src + ":multi",
                                "oci:" + out + ":arm",
                                "--mode",
                                "learn",
                                "-q",
                                "--platform",
                                "linux/arm64")
                        .exitCode());
        Read arm = read(out, "arm");
        assertEquals(1, arm.manifest().path("manifests").size());
        assertEquals(
                "arm64",
                arm.manifest()
                        .path("manifests")
                        .get(0)
                        .path("platform")
                        .path("architecture")
                        .asText());

        Cli.Result un = Cli.run("unwrap", "oci:" + out + ":all", "oci:" + tmp.resolve("back") + ":multi", "-q");
        assertEquals(0, un.exitCode(), un.toString());
        assertEquals(indexDigest, read(tmp.resolve("back"), "multi").manifestDigest());
    }

    @Test
    void enforceWithoutPolicyAndBadModeAreRefused() throws IOException {
        Path src = source("src");
        Cli.Result enforce = Cli.run("wrap", "oci:" + src, "oci:" + tmp.resolve("out"), "--mode", "enforce");
        assertEquals(3, enforce.exitCode(), enforce.toString());
        assertTrue(enforce.err().contains("--policy"), enforce.err());
        Cli.Result bad = Cli.run("wrap", "oci:" + src, "oci:" + tmp.resolve("out"), "--mode", "lurk");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void imageWithoutJvmIsRefusedUnlessForced() throws IOException {
        byte[] layer =
                new TestImages.LayerBuilder().file("hello.txt", "hi", 0644).build();
        Path src = tmp.resolve("scratch");
        TestImages.ociLayout(src, "v1", List.of(layer), TestImages.config("amd64", List.of(layer), null));
        Cli.Result wrap = Cli.run("wrap", "oci:" + src, "oci:" + tmp.resolve("out"), "--mode", "learn", "-q");
        assertEquals(3, wrap.exitCode(), wrap.toString());
        assertTrue(wrap.err().contains("no JVM"), wrap.err());
        assertFalse(Files.exists(tmp.resolve("out")));
        Cli.Result inspect = Cli.run("inspect", "oci:" + src);
        assertEquals(3, inspect.exitCode(), inspect.toString());
        assertEquals(0, Cli.run("inspect", "oci:" + src, "--force").exitCode());
        assertEquals(
                0,
                Cli.run("wrap", "oci:" + src, "oci:" + tmp.resolve("out"), "--mode", "learn", "--force", "-q")
                        .exitCode());
    }

    /**
     * JDK 24 and later: wrapped for enforce with a policy that can never allow unsafe or attach, the image's
     * JAVA_TOOL_OPTIONS makes the JVM refuse them itself; not for older JVMs (which refuse the option and do not
     * start), other modes, or a policy that may allow them. Then the real JDK 25 is started with what was written.
     */
    @Test
    void onJava24AndLaterTheJvmsOwnRestrictionsAreAddedWhereThePolicyNeverAllowsTheCapability() throws Exception {
        String none = "";
        String unsafeAllowed =
                "  capabilities:\n    - {id: lib, operations: [unsafe], callers: [\"/app/lib/lib.jar\"]}\n";
        String defaultAllow = "  defaults: {capabilities: allow}\n";
        String deny = " --sun-misc-unsafe-memory-access=deny";
        String noAttach = " -XX:+DisableAttachMechanism";
        Object[][] cases = {
            {"25.0.1", "enforce", none, deny + noAttach},
            {"24", "enforce", none, deny + noAttach},
            {"25.0.1", "enforce", unsafeAllowed, noAttach},
            {"25.0.1", "enforce", defaultAllow, ""},
            {"25.0.1", "monitor", none, ""},
            {"17.0.12", "enforce", none, ""},
            {"23.0.2", "enforce", none, ""},
        };
        String written = null;
        for (int i = 0; i < cases.length; i++) {
            String version = (String) cases[i][0];
            List<byte[]> layers = List.of(
                    TestImages.jvmLayer("/opt/jdk", version),
                    new TestImages.LayerBuilder()
                            .file("app/app.jar", "jar", 0644)
                            .build());
            Path src = tmp.resolve("restrict-src-" + i);
            TestImages.ociLayout(src, "v1", layers, TestImages.config("amd64", layers, null));
            Path policy = Files.writeString(
                    tmp.resolve("restrict-" + i + ".yaml"),
                    "apiVersion: inlay.dev/v1\n" + "kind: Policy\nmetadata: {name: r}\nspec:\n  failOpen: false\n"
                            + cases[i][2]);
            Cli.Result r = Cli.run(
                    "wrap",
                    "oci:" + src + ":v1",
                    "oci:" + tmp.resolve("restrict-out-" + i) + ":w",
                    "--mode",
                    (String) cases[i][1],
                    "--policy",
                    policy.toString(),
                    "-q");
            assertEquals(0, r.exitCode(), r.toString());
            String toolOptions = null;
            for (JsonNode e : read(tmp.resolve("restrict-out-" + i), "w")
                    .config()
                    .path("config")
                    .path("Env")) {
                if (e.asText().startsWith("JAVA_TOOL_OPTIONS="))
                    toolOptions = e.asText().substring("JAVA_TOOL_OPTIONS=".length());
            }
            // The agent is in JDK_JAVA_OPTIONS (a `java -jar` launch); JAVA_TOOL_OPTIONS holds the JVM's flags alone.
            String flags = (String) cases[i][3];
            assertEquals(
                    flags.isEmpty() ? null : flags.substring(1),
                    toolOptions,
                    version + " " + cases[i][1] + " " + cases[i][2]);
            if (i == 0) written = toolOptions;
        }
        // What the JVM makes of it: JDK 25 takes both from JAVA_TOOL_OPTIONS and applies them.
        Path java = Path.of(System.getProperty("inlay.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
        if (!Files.isExecutable(java)) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("missing tool: JDK 25 at " + java);
            org.junit.jupiter.api.Assumptions.abort("no JDK 25 at " + java);
        }
        ProcessBuilder pb = new ProcessBuilder(
                        java.toString(), "-XshowSettings:properties", "-XX:+PrintFlagsFinal", "-version")
                .redirectErrorStream(true);
        pb.environment().put("JAVA_TOOL_OPTIONS", written);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains("sun.misc.unsafe.memory.access = deny"), output);
        assertTrue(output.matches("(?s).*bool DisableAttachMechanism\\s+= true.*"), output);
    }
}
