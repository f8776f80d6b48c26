package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlay.policy.CompiledPolicy;
import dev.inlay.policy.PolicyParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modes, startup failures, kill, policy reload, sinks and JDK tools, each in a real JVM with the packaged agent. */
class AgentLifecycleIT {
    @TempDir
    Path work;

    private Path policy(String name, String mode, String fileAction, String defaultFiles) throws Exception {
        Path denied = work.resolve("denied");
        Files.createDirectories(denied);
        Files.writeString(denied.resolve("a.txt"), "a");
        Path p = work.resolve(name);
        Files.writeString(
                p,
                String.join(
                        "\n",
                        "apiVersion: inlay.dev/v1",
                        "kind: Policy",
                        "metadata: {name: " + name.replace(".yaml", "") + "}",
                        "spec:",
                        "  mode: " + mode,
                        "  defaults: {files: " + defaultFiles + ", network: allow, dns: allow, processes: allow,"
                                + " nativeLibraries: allow, jndi: allow, deserialization: allow, classDefinition: allow,"
                                + " drift: allow}",
                        "  files:",
                        "    - {id: probe-files, action: " + fileAction + ", paths: [\"" + denied + "/**\"]}",
                        ""));
        return p;
    }

    /** The probe's command line on a JDK: java, the JVM options (the -javaagent among them), the probes to run. */
    private List<String> probeCommand(int jdk, List<String> jvmOptions, String... probes) {
        List<String> command = new ArrayList<>();
        command.add(AgentRun.java(jdk).toString());
        command.addAll(jvmOptions);
        command.addAll(
                List.of("-cp", AgentRun.testClasses().toString(), "dev.inlay.probe.Probe", work.toString(), "40000"));
        command.addAll(List.of(probes));
        return command;
    }

    private AgentRun probe(String agentArgs, Map<String, String> env, String... probes) throws Exception {
        List<String> args = new ArrayList<>(List.of(work.toString(), "40000"));
        args.addAll(List.of(probes));
        return AgentRun.run(17, agentArgs, env, "dev.inlay.probe.Probe", args.toArray(new String[0]));
    }

    @Test
    void enforceWithoutPolicyStopsTheJvmWithExitCode78() throws Exception {
        AgentRun run = probe("mode=enforce", Map.of(), "file.read.Files.readAllBytes");
        assertEquals(78, run.exitCode, run.describe());
        assertTrue(run.stderr.contains("inlay: mode enforce needs a policy"), run.stderr);
        assertTrue(run.probes.isEmpty(), "the application never ran");
    }

    @Test
    void aBakedPolicyChangedAfterWrappingIsRefused() throws Exception {
        Path layer = Files.createDirectories(work.resolve("opt-inlay"));
        Path jar = Files.copy(AgentRun.agentJar(), layer.resolve("inlay-agent.jar"));
        Path policy = policy("baked.yaml", "enforce", "deny", "allow");
        String recorded = sha256(Files.readAllBytes(policy));
        List<String> command = probeCommand(17, List.of("-javaagent:" + jar));
        Files.writeString(
                layer.resolve("inlay.properties"),
                "mode=enforce\npolicy=" + policy + "\npolicyDigest=" + recorded + "\n");
        AgentRun intact = AgentRun.exec(command, Map.of());
        assertEquals(0, intact.exitCode, "the recorded digest matches: " + intact.describe());

        Files.writeString(policy, Files.readString(policy).replace("action: deny", "action: allow"));
        AgentRun changed = AgentRun.exec(command, Map.of());
        assertEquals(AgentInstaller.EXIT_NO_POLICY, changed.exitCode, changed.describe());
        assertTrue(changed.stderr.contains("changed after wrapping"), changed.stderr);

        AgentRun sneaky =
                AgentRun.exec(command, Map.of("INLAY_POLICY", policy.toString().replace("/baked", "/./baked")));
        assertEquals(
                AgentInstaller.EXIT_NO_POLICY,
                sneaky.exitCode,
                "the same file by another spelling: " + sneaky.describe());
        Path mounted = Files.copy(policy, work.resolve("mounted.yaml"));
        AgentRun operator = AgentRun.exec(command, Map.of("INLAY_POLICY", mounted.toString()));
        assertEquals(
                0, operator.exitCode, "a policy the operator names explicitly is not pinned: " + operator.describe());
    }

    /**
     * A wrapped image's start (precomputed hooks, the policy compiled in inlay.properties, a rule hit by the
     * launcher reading the main class) sets up no VarHandles before main(): not for rule hit counters (LongAdder) nor
     * for reading the compiled policy and the hooked classes (DataInputStream and RandomAccessFile's readInt go
     * through jdk.internal.util.ByteArray from JDK 22 on), each a millisecond or more of every start.
     */
    @Test
    void aWrappedStartSetsUpNoVarHandlesBeforeMain() throws Exception {
        Path jar = wrappedLayer("wrapped", "hooked-classes.bin");
        Path layer = jar.getParent();
        Path policy = work.resolve("classes.yaml");
        Files.writeString(
                policy,
                String.join(
                        "\n",
                        "apiVersion: inlay.dev/v1",
                        "kind: Policy",
                        "metadata: {name: classes}",
                        "spec:",
                        "  mode: enforce",
                        "  defaults: {files: allow}",
                        "  files:",
                        "    - {id: test-classes, paths: [\"" + AgentRun.testClasses() + "/**\"]}",
                        ""));
        bake(layer, policy, Base64.getEncoder().encodeToString(CompiledPolicy.write(PolicyParser.parse(policy))));
        for (int jdk : List.of(17, 25)) {
            Path classes = work.resolve("wrapped-classes-" + jdk + ".log");
            AgentRun run = isolationProbeLoggingClassLoads(jdk, jar, classes);
            JsonNode started = run.of("status").get(0);
            assertEquals("classes", started.path("policy").asText(), "JDK " + jdk + ": " + started);
            assertEquals(
                    started.path("transformed").asInt(),
                    started.path("precomputed").asInt(),
                    "JDK " + jdk + ": the wrapped layout's hooks: " + started);
            assertTrue(
                    run.of("hits").stream()
                            .anyMatch(h -> h.path("hits").path("test-classes").asLong() >= 1),
                    "JDK " + jdk + ": the class path's rule was hit: " + run.describe());
            assertNotLoadedBeforeMain(
                    jdk,
                    loadedBeforeMain(classes),
                    "java.util.concurrent.atomic.LongAdder",
                    "jdk.internal.util.ByteArray",
                    "java.lang.invoke.VarHandles");
        }
    }

    /**
     * A wrapped image's learn-mode start (no policy: every file operation before main() asks the JVM baseline)
     * resolves the links out of the JDK home from the layer's jdk-links.bin: no walk of the home, whose File.list
     * calls ran inside a check and so each walked the stack (Inlay's insideCheck), and no policy pattern checker
     * (Patterns, 8 KB verified) just to escape the baseline's paths.
     */
    @Test
    void aWrappedLearnStartWalksNeitherTheJdkHomeNorTheStackBeforeMain() throws Exception {
        Path jar = wrappedLayer("wrapped-learn", "hooked-classes.bin", "jdk-links.bin");
        Files.writeString(jar.resolveSibling("inlay.properties"), "mode=learn\n");
        for (int jdk : List.of(17, 25)) {
            Path classes = work.resolve("wrapped-learn-classes-" + jdk + ".log");
            AgentRun run = isolationProbeLoggingClassLoads(jdk, jar, classes);
            JsonNode started = run.of("status").get(0);
            assertEquals("learn", started.path("mode").asText(), "JDK " + jdk + ": " + started);
            assertEquals("precomputed", started.path("jdkLinks").asText(), "JDK " + jdk + ": " + started);
            String beforeMain = loadedBeforeMain(classes);
            assertTrue(beforeMain.contains(" dev.inlay.shaded.policy.JvmBaseline$Paths "), "JDK " + jdk + ": asked");
            assertNotLoadedBeforeMain(
                    jdk,
                    beforeMain,
                    "java.lang.StackStreamFactory$StackFrameTraverser",
                    "dev.inlay.bootstrap.Inlay$Walk",
                    "dev.inlay.shaded.policy.Patterns");
        }
    }

    /** A wrapped image's /opt/inlay in {@code name}: the agent jar with precomputed hooks and the named files beside it. */
    private Path wrappedLayer(String name, String... besideTheJar) throws Exception {
        Path layer = Files.createDirectories(work.resolve(name));
        Path precomputed = AgentRun.agentJarWithPrecomputedHooks();
        Path jar = Files.copy(precomputed, layer.resolve("inlay-agent.jar"));
        for (String file : besideTheJar) Files.copy(precomputed.resolveSibling(file), layer.resolve(file));
        return jar;
    }

    /** Runs the probe's isolation check under {@code jar} on a JDK, its class loads logged to {@code classes}. */
    private AgentRun isolationProbeLoggingClassLoads(int jdk, Path jar, Path classes) throws Exception {
        List<String> command =
                probeCommand(jdk, List.of("-Xlog:class+load:file=" + classes, "-javaagent:" + jar), "isolation");
        AgentRun run = AgentRun.exec(command, Map.of());
        assertEquals(0, run.exitCode, "JDK " + jdk + ": " + run.describe());
        return run;
    }

    /** The class load log up to the probe's main class. */
    private static String loadedBeforeMain(Path classes) throws Exception {
        String log = Files.readString(classes);
        return log.substring(0, log.indexOf(" dev.inlay.probe.Probe "));
    }

    private static void assertNotLoadedBeforeMain(int jdk, String beforeMain, String... expensive) {
        for (String name : expensive) {
            assertFalse(beforeMain.contains(" " + name + " "), "JDK " + jdk + ": " + name + " before main()");
        }
    }

    @Test
    void aBakedPolicyStartsFromItsCompiledFormInInlayProperties() throws Exception {
        Path layer = Files.createDirectories(work.resolve("opt-inlay"));
        Path jar = Files.copy(AgentRun.agentJar(), layer.resolve("inlay-agent.jar"));
        Path policy = policy("baked.yaml", "enforce", "deny", "allow");
        List<String> command = probeCommand(17, List.of("-javaagent:" + jar), "file.read.Files.readString");
        byte[] intactBytes = CompiledPolicy.write(PolicyParser.parse(policy));
        bake(layer, policy, Base64.getEncoder().encodeToString(intactBytes));
        AgentRun intact = AgentRun.exec(command, Map.of());
        assertEquals(0, intact.exitCode, intact.describe());
        assertTrue(intact.probes.get("file.read.Files.readString").startsWith("DENIED"), intact.describe());
        assertEquals("baked", intact.of("status").get(0).path("policy").asText(), intact.describe());

        // The compiled form is what runs, not the YAML: a YAML edited to allow, with its digest, changes nothing.
        Path edited = work.resolve("edited.yaml");
        Files.writeString(edited, Files.readString(policy).replace("action: deny", "action: allow"));
        Files.writeString(
                layer.resolve("inlay.properties"),
                Files.readString(layer.resolve("inlay.properties"))
                        .replace(
                                "policyDigest=" + sha256(Files.readAllBytes(policy)),
                                "policyDigest=" + sha256(Files.readAllBytes(edited)))
                        .replace("policy=" + policy, "policy=" + edited));
        AgentRun yamlEdited = AgentRun.exec(command, Map.of());
        assertEquals(0, yamlEdited.exitCode, yamlEdited.describe());
        assertTrue(yamlEdited.probes.get("file.read.Files.readString").startsWith("DENIED"), yamlEdited.describe());

        bake(layer, policy, Base64.getEncoder().encodeToString(Arrays.copyOf(intactBytes, intactBytes.length - 3)));
        AgentRun damaged = AgentRun.exec(command, Map.of());
        assertEquals(AgentInstaller.EXIT_NO_POLICY, damaged.exitCode, damaged.describe());
        assertTrue(damaged.stderr.contains("compiled policy is damaged"), damaged.stderr);
        assertTrue(damaged.probes.isEmpty(), "the application never ran");

        bake(layer, policy, "not*base64");
        AgentRun notBase64 = AgentRun.exec(command, Map.of());
        assertEquals(AgentInstaller.EXIT_NO_POLICY, notBase64.exitCode, notBase64.describe());
        assertTrue(notBase64.stderr.contains("compiled policy is damaged: not base64"), notBase64.stderr);
        assertTrue(notBase64.probes.isEmpty(), "the application never ran");
    }

    @Test
    void anAgentThatCannotStartDoesNotLetAnEnforcedApplicationRunUnchecked() throws Exception {
        // A damaged agent jar: a class the installer needs after the policy is read is missing.
        Path jar = Files.copy(AgentRun.agentJar(), work.resolve("damaged-agent.jar"));
        try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(jar)) {
            Path pack = zip.getPath("inlay/impl/own.classes");
            Files.write(
                    pack,
                    renamedInPack(
                            Files.readAllBytes(pack), "dev.inlay.runtime.Reporter", "dev.inlay.runtime.Reporteq"));
        }
        Path p = policy("damaged.yaml", "enforce", "deny", "allow");
        Files.writeString(work.resolve("denied/r5.txt"), "r5"); // what the probe reads
        String read = "file.read.Files.readString";
        AgentRun enforce = exec(jar, "=mode=enforce", Map.of("INLAY_POLICY", p.toString()), read);
        assertEquals(AgentInstaller.EXIT_AGENT_FAILED, enforce.exitCode, enforce.describe());
        assertTrue(
                enforce.stderr.contains("inlay: refusing to run the application unchecked in enforce mode"),
                enforce.stderr);
        assertTrue(enforce.stderr.contains("Reporter"), "the message says what failed: " + enforce.stderr);
        assertTrue(enforce.probes.isEmpty(), "the application never ran");

        AgentRun noMode = exec(jar, "", Map.of("INLAY_POLICY", p.toString()), read);
        assertEquals(
                AgentInstaller.EXIT_AGENT_FAILED, noMode.exitCode, "the policy may say enforce: " + noMode.describe());

        AgentRun failOpen = exec(jar, "=mode=enforce,failOpen=true", Map.of("INLAY_POLICY", p.toString()), read);
        assertEquals(0, failOpen.exitCode, failOpen.describe());
        assertEquals("OK", failOpen.probes.get(read), "told to fail open, it runs unchecked: " + failOpen.describe());

        AgentRun learn = exec(jar, "=mode=learn", Map.of(), read);
        assertEquals(0, learn.exitCode, learn.describe());
        assertTrue(learn.stderr.contains("inlay: agent not started"), learn.stderr);
        assertEquals("OK", learn.probes.get(read), learn.describe());

        // Damaged further: the class pack itself, so that premain cannot load the implementation at all.
        try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(jar)) {
            Path pack = zip.getPath("inlay/impl/own.classes");
            byte[] bytes = Files.readAllBytes(pack);
            bytes[0] ^= 0x7f; // the magic number
            Files.write(pack, bytes);
        }
        AgentRun unloadable = exec(jar, "=mode=enforce", Map.of("INLAY_POLICY", p.toString()), read);
        assertEquals(AgentInstaller.EXIT_AGENT_FAILED, unloadable.exitCode, unloadable.describe());
        assertTrue(unloadable.stderr.contains("own.classes"), "the message says what failed: " + unloadable.stderr);
        assertTrue(unloadable.probes.isEmpty(), "the application never ran");
        AgentRun policyOnly = exec(jar, "", Map.of("INLAY_POLICY", p.toString()), read);
        assertEquals(
                AgentInstaller.EXIT_AGENT_FAILED,
                policyOnly.exitCode,
                "the policy may say enforce: " + policyOnly.describe());
        AgentRun learnUnloadable = exec(jar, "=mode=learn", Map.of(), read);
        assertEquals(0, learnUnloadable.exitCode, learnUnloadable.describe());
        assertEquals("OK", learnUnloadable.probes.get(read), learnUnloadable.describe());
        AgentRun failOpenUnloadable =
                exec(jar, "", Map.of("INLAY_POLICY", p.toString(), "INLAY_FAIL_OPEN", "true"), read);
        assertEquals(0, failOpenUnloadable.exitCode, failOpenUnloadable.describe());
        assertEquals("OK", failOpenUnloadable.probes.get(read), failOpenUnloadable.describe());
    }

    @Test
    void aSecondCopyOfTheAgentStaysIdleAndTheFirstEnforces() throws Exception {
        Path p = policy("twice.yaml", "enforce", "deny", "allow");
        String read = "file.read.Files.readString";
        List<String> command = probeCommand(
                17, List.of("-javaagent:" + AgentRun.agentJar(), "-javaagent:" + AgentRun.agentJar()), read);
        AgentRun run = AgentRun.exec(command, Map.of("INLAY_POLICY", p.toString(), "INLAY_MODE", "enforce"));
        assertEquals(0, run.exitCode, run.describe());
        assertTrue(run.stderr.contains("inlay: the agent is already running in this JVM"), run.stderr);
        assertTrue(run.probes.get(read).startsWith("DENIED"), run.describe());
        assertEquals(
                1,
                run.of("status").stream()
                        .filter(s -> s.path("status").asText().equals("started"))
                        .count(),
                "one agent started: " + run.describe());
    }

    /**
     * Classes the JVM loaded before inlay reach its transformer rebuilt from the loaded class, with whatever another
     * agent changed in them: with another agent on the command line they are hooked by ASM, not with the classes
     * computed at wrap time (which would drop the other agent's changes). The hooks hold either way.
     */
    @Test
    void withAnotherAgentTheClassesLoadedBeforeInlayAreHookedByAsm() throws Exception {
        Path other = work.resolve("other-agent.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "dev.inlay.probe.NoopAgent");
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        try (java.util.jar.JarOutputStream jar =
                new java.util.jar.JarOutputStream(Files.newOutputStream(other), manifest)) {
            jar.flush(); // the class itself is on the class path (test classes)
        }
        Path p = policy("other.yaml", "enforce", "deny", "allow");
        String read = "file.read.Files.readString";
        for (int jdk : List.of(17, 25)) {
            for (String otherAgent : new String[] {"none", "command line", "JAVA_TOOL_OPTIONS"}) {
                boolean alone = otherAgent.equals("none");
                List<String> agents = new ArrayList<>();
                if (otherAgent.equals("command line")) agents.add("-javaagent:" + other);
                agents.add("-javaagent:" + AgentRun.agentJarWithPrecomputedHooks());
                List<String> command = probeCommand(jdk, agents, read);
                Map<String, String> env =
                        new java.util.HashMap<>(Map.of("INLAY_POLICY", p.toString(), "INLAY_MODE", "enforce"));
                if (otherAgent.equals("JAVA_TOOL_OPTIONS")) env.put("JAVA_TOOL_OPTIONS", "-javaagent:" + other);
                AgentRun run = AgentRun.exec(command, env);
                assertEquals(0, run.exitCode, run.describe());
                assertTrue(run.probes.get(read).startsWith("DENIED"), run.describe());
                JsonNode started = run.of("status").stream()
                        .filter(s -> s.path("status").asText().equals("started"))
                        .findFirst()
                        .orElseThrow();
                int transformed = started.path("transformed").asInt();
                int precomputed = started.path("precomputed").asInt();
                assertTrue(transformed >= 8, started.toString());
                if (alone) {
                    assertEquals(transformed, precomputed, "the only agent: " + started);
                } else {
                    assertTrue(
                            precomputed <= transformed - 8,
                            "another agent on the " + otherAgent + ": the ten loaded before inlay by ASM: " + started);
                }
            }
        }
    }

    /**
     * The bridge comes from the boot class path when the jar has its usual name (its manifest's Boot-Class-Path names
     * it), else the agent defines it; either way the hooks call it. A jar named inlay-agent.jar next to the agent that
     * holds the bridge but not the premain class is another jar's bridge: refused, and enforce does not run unchecked.
     */
    @Test
    void theBridgeComesFromTheJarsOwnBootClassPathOrIsDefinedAndAForeignOneIsRefused() throws Exception {
        Path p = policy("bridge.yaml", "enforce", "deny", "allow");
        Files.writeString(work.resolve("denied/r5.txt"), "r5");
        String read = "file.read.Files.readString";
        Path renamed = Files.createDirectories(work.resolve("renamed")).resolve("agent.jar");
        Files.copy(AgentRun.agentJar(), renamed);
        for (int jdk : List.of(17, 25)) {
            for (Path jar : List.of(AgentRun.agentJar(), renamed)) {
                List<String> command = probeCommand(jdk, List.of("-javaagent:" + jar), read);
                AgentRun run = AgentRun.exec(command, Map.of("INLAY_POLICY", p.toString(), "INLAY_MODE", "enforce"));
                assertEquals(0, run.exitCode, run.describe());
                assertTrue(run.probes.get(read).startsWith("DENIED"), run.describe());
                JsonNode started = run.of("status").stream()
                        .filter(s -> s.path("status").asText().equals("started"))
                        .findFirst()
                        .orElseThrow();
                assertEquals(
                        jar == renamed ? "defined" : "boot-class-path",
                        started.path("bridge").asText(),
                        "JDK " + jdk + ", " + jar + ": " + started);
            }
        }

        // A jar of that name holding the bridge alone (someone's own boot class path jar), next to a renamed agent.
        Path foreign = work.resolve("renamed/inlay-agent.jar");
        try (java.util.jar.JarFile agent =
                        new java.util.jar.JarFile(AgentRun.agentJar().toFile());
                java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(foreign))) {
            for (java.util.jar.JarEntry entry : java.util.Collections.list(agent.entries())) {
                if (!entry.getName().startsWith("dev/inlay/bootstrap/") || entry.isDirectory()) continue;
                out.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                out.write(agent.getInputStream(entry).readAllBytes());
            }
        }
        AgentRun refused = exec(renamed, "", Map.of("INLAY_POLICY", p.toString(), "INLAY_MODE", "enforce"), read);
        assertEquals(AgentInstaller.EXIT_AGENT_FAILED, refused.exitCode, refused.describe());
        assertTrue(refused.stderr.contains("holds the bridge"), refused.stderr);
        assertTrue(refused.probes.isEmpty(), "the application never ran");
    }

    /**
     * JDK Flight Recorder retransforms FileInputStream, RandomAccessFile and other JDK classes for its I/O events when
     * it starts; the JVM then rebuilds them from their original bytes. inlay's transformer stays registered for that:
     * its hooks are put back into every rebuilt class.
     */
    @Test
    void hooksSurviveFlightRecorderRetransformingTheJdkClasses() throws Exception {
        Path p = policy("jfr.yaml", "enforce", "deny", "allow");
        Files.writeString(work.resolve("denied/r1.txt"), "r1");
        Files.writeString(work.resolve("denied/r2.txt"), "r2");
        String[] reads = {"file.read.FileInputStream", "file.read.RandomAccessFile"};
        for (int jdk : List.of(17, 25)) {
            List<String> command = probeCommand(
                    jdk,
                    List.of(
                            "-XX:StartFlightRecording=filename=" + work.resolve("jdk" + jdk + ".jfr"),
                            "-javaagent:" + AgentRun.agentJar()),
                    reads);
            AgentRun run = AgentRun.exec(command, Map.of("INLAY_POLICY", p.toString(), "INLAY_MODE", "enforce"));
            assertEquals(0, run.exitCode, run.describe());
            assertTrue(
                    String.join("\n", run.stdout).contains("Started recording")
                            || run.stderr.contains("Started recording"),
                    "JFR ran: " + run.describe());
            for (String read : reads) {
                assertTrue(
                        run.probes.get(read).startsWith("DENIED"), "JDK " + jdk + ", " + read + ": " + run.describe());
            }
        }
    }

    /**
     * The agent jar is on the boot and the system class path, so the JDK opens it on the application's thread when the
     * application looks up resources: allowed whatever the policy says of its directory (reached through a symbolic
     * link too), and not recorded as the application's behavior.
     */
    @Test
    void readingTheAgentJarForResourceLookupsIsNeverTheApplicationsBehavior() throws Exception {
        Path dir = Files.createDirectories(work.resolve("agent-dir"));
        Files.copy(AgentRun.agentJar(), dir.resolve("inlay-agent.jar"));
        Path link = Files.createSymbolicLink(work.resolve("agent-link"), dir);
        Path p = work.resolve("agent-dir.yaml");
        Files.writeString(
                p,
                String.join(
                        "\n",
                        "apiVersion: inlay.dev/v1",
                        "kind: Policy",
                        "metadata: {name: agent-dir}",
                        "spec:",
                        "  mode: enforce",
                        "  defaults: {files: allow, network: allow, dns: allow, processes: allow, nativeLibraries: allow,"
                                + " jndi: allow, deserialization: allow, classDefinition: allow, drift: allow}",
                        "  files:",
                        "    - {id: agent-dir, action: deny, paths: [\"" + dir + "/**\"]}",
                        ""));
        for (Path jar : List.of(dir.resolve("inlay-agent.jar"), link.resolve("inlay-agent.jar"))) {
            for (String mode : List.of("enforce", "learn")) {
                List<String> command = probeCommand(17, List.of("-javaagent:" + jar), "resources.everyManifest");
                Map<String, String> env = mode.equals("enforce")
                        ? Map.of("INLAY_POLICY", p.toString(), "INLAY_MODE", "enforce")
                        : Map.of("INLAY_MODE", "learn", "INLAY_PROFILE_INTERVAL", "1");
                AgentRun run = AgentRun.exec(command, env);
                assertEquals(0, run.exitCode, run.describe());
                assertEquals(
                        "OK", run.probes.get("resources.everyManifest"), mode + ", " + jar + ": " + run.describe());
                assertTrue(run.of("event").isEmpty(), "nothing denied: " + run.describe());
                String profiles = run.of("profile").toString();
                assertFalse(profiles.contains("inlay-agent.jar"), "not the application's behavior: " + profiles);
            }
        }
    }

    private AgentRun exec(Path agentJar, String agentArgs, Map<String, String> env, String... probes) throws Exception {
        return AgentRun.exec(probeCommand(17, List.of("-javaagent:" + agentJar + agentArgs), probes), env);
    }

    /** What inlay wrap writes into inlay.properties: the policy's path and digest, and the policy compiled. */
    private static void bake(Path layer, Path policy, String compiledBase64) throws Exception {
        Files.writeString(
                layer.resolve("inlay.properties"),
                "mode=enforce\npolicy=" + policy + "\npolicyDigest=" + sha256(Files.readAllBytes(policy))
                        + "\ncompiledPolicy=" + compiledBase64 + "\n");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:"
                + java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(bytes));
    }

    @Test
    void enforceWithABrokenPolicyStopsTheJvmUnlessFailOpen() throws Exception {
        Path broken = work.resolve("broken.yaml");
        Files.writeString(broken, "apiVersion: inlay.dev/v1\nkind: Policy\nspec: [\n");
        AgentRun stopped = probe("mode=enforce", Map.of("INLAY_POLICY", broken.toString()), "isolation");
        assertEquals(78, stopped.exitCode, stopped.describe());
        assertTrue(stopped.stderr.contains(broken.toString()), "the message names the file: " + stopped.stderr);

        AgentRun open = probe("mode=enforce,failOpen=true", Map.of("INLAY_POLICY", broken.toString()), "isolation");
        assertEquals(0, open.exitCode, open.describe());
        assertEquals("OK", open.probes.get("isolation"));
        JsonNode started = open.of("status").get(0);
        assertEquals("learn", started.path("mode").asText(), started.toString());
        assertTrue(started.path("problem").asText().contains("broken.yaml"), started.toString());
    }

    @Test
    void monitorReportsWithoutBlockingAndCountsHits() throws Exception {
        Path p = policy("monitor.yaml", "monitor", "deny", "allow");
        AgentRun run = probe(
                "eventWindow=100", Map.of("INLAY_POLICY", p.toString()), "file.read.FileInputStream", "loop-read-once");
        assertEquals(0, run.exitCode, run.describe());
        assertTrue(
                run.probes.get("file.read.FileInputStream").startsWith("ERROR java.io.FileNotFoundException"),
                "allowed through (the file does not exist): " + run.describe());
        JsonNode event = run.of("event").stream()
                .filter(e -> e.path("resource").asText().endsWith("/r1.txt"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(run.describe()));
        assertEquals("monitor", event.path("mode").asText());
        assertEquals("deny", event.path("action").asText());
        assertFalse(event.path("blocked").asBoolean());
        assertEquals("probe-files", event.path("rule").asText());
        assertTrue(event.path("frame").asText().startsWith("dev.inlay.probe.Probe"), event.toString());
        List<JsonNode> hits = run.of("hits");
        assertTrue(
                hits.stream()
                        .anyMatch(h -> h.path("hits").path("probe-files").asLong() >= 1
                                && h.path("hits").path("default/files").asLong() >= 1),
                run.describe());
    }

    @Test
    void repeatsWithinTheWindowAreOneEventWithACount() throws Exception {
        Path p = policy("repeat.yaml", "enforce", "deny", "allow");
        AgentRun run = probe(
                "eventWindow=5000",
                Map.of("INLAY_POLICY", p.toString()),
                "file.read.Files.readAllBytes",
                "file.read.Files.readAllBytes",
                "file.read.Files.readAllBytes");
        assertEquals(0, run.exitCode, run.describe());
        List<JsonNode> events = run.of("event");
        assertEquals(1, events.size(), run.describe());
        assertEquals(3, events.get(0).path("count").asLong(), events.get(0).toString());
        assertTrue(events.get(0).path("blocked").asBoolean());
    }

    /**
     * The option inlay wrap writes for a class-path launch, {@code -agentlib:instrument=} (dev.inlay.model.AgentFlag):
     * the agent starts and enforces as with {@code -javaagent}, and the JVM keeps the JDK's archived module graph,
     * which {@code -javaagent} turns off at every start (docs/BENCHMARKS.md, "How the agent is loaded"). A launch of a
     * named module does not resolve {@code java.instrument} without {@code -javaagent}: that JVM refuses to start,
     * which is why wrap chooses {@code -javaagent} wherever it sees a module option, and puts
     * {@code -agentlib:instrument=} in JDK_JAVA_OPTIONS: the JDK's tools are module launches and read only
     * JAVA_TOOL_OPTIONS, where it would stop every one of them.
     */
    @Test
    void theAgentlibFlagKeepsTheArchivedModuleGraphAndAModuleLaunchNeedsJavaagent() throws Exception {
        Path policy = policy("flag.yaml", "enforce", "deny", "allow");
        Path jar = AgentRun.agentJar().toAbsolutePath();
        Path module = namedModule();
        for (int jdk : List.of(17, 25)) {
            for (String flag : List.of("-agentlib:instrument=", "-javaagent:")) {
                AgentRun run = AgentRun.exec(
                        probeCommand(
                                jdk,
                                List.of("-Xlog:cds=info:stderr", flag + jar + "=mode=enforce,policy=" + policy),
                                "file.read.FileInputStream"),
                        Map.of());
                String what = "JDK " + jdk + " " + flag + ": ";
                assertEquals(0, run.exitCode, what + run.describe());
                assertTrue(run.probes.get("file.read.FileInputStream").startsWith("DENIED"), what + run.describe());
                assertEquals("started", run.of("status").get(0).path("status").asText(), what + run.describe());
                boolean archived = run.stderr.contains("full module graph: enabled");
                assertEquals(flag.startsWith("-agentlib"), archived, what + run.stderr);
            }
            List<String> launch = List.of("-p", module.toString(), "-m", "flagprobe/flagprobe.Main");
            AgentRun agentlib = AgentRun.exec(
                    concat(AgentRun.java(jdk).toString(), "-agentlib:instrument=" + jar + "=mode=learn", launch),
                    Map.of());
            assertNotEquals(0, agentlib.exitCode, "JDK " + jdk + ": " + agentlib.describe());
            assertTrue(agentlib.stderr.contains("InstrumentationImpl"), "JDK " + jdk + ": " + agentlib.stderr);
            AgentRun javaagent = AgentRun.exec(
                    concat(AgentRun.java(jdk).toString(), "-javaagent:" + jar + "=mode=learn", launch), Map.of());
            assertEquals(0, javaagent.exitCode, "JDK " + jdk + ": " + javaagent.describe());
            assertTrue(javaagent.stdout.contains("FLAGPROBE"), "JDK " + jdk + ": " + javaagent.describe());
            assertEquals("started", javaagent.of("status").get(0).path("status").asText(), javaagent.describe());

            // Where wrap puts it: JDK_JAVA_OPTIONS, read by the java launcher (the agent starts) and by no JDK tool.
            String option = "-agentlib:instrument=" + jar + "=mode=learn";
            AgentRun launcher = AgentRun.exec(
                    probeCommand(jdk, List.of(), "file.read.FileInputStream"), Map.of("JDK_JAVA_OPTIONS", option));
            assertEquals("started", launcher.of("status").get(0).path("status").asText(), launcher.describe());
            Path jps = AgentRun.java(jdk).resolveSibling("jps");
            AgentRun tool = AgentRun.exec(List.of(jps.toString(), "-q"), Map.of("JDK_JAVA_OPTIONS", option));
            assertEquals(0, tool.exitCode, "JDK " + jdk + " jps: " + tool.describe());
            AgentRun toolOptions = AgentRun.exec(List.of(jps.toString(), "-q"), Map.of("JAVA_TOOL_OPTIONS", option));
            assertNotEquals(
                    0, toolOptions.exitCode, "JDK " + jdk + " jps, JAVA_TOOL_OPTIONS: " + toolOptions.describe());
        }
    }

    /** A named module that requires nothing but java.base, compiled for JDK 17, with a main class printing FLAGPROBE. */
    private Path namedModule() throws IOException {
        Path src = Files.createDirectories(work.resolve("module-src/flagprobe"));
        Files.writeString(work.resolve("module-src/module-info.java"), "module flagprobe {}\n");
        Files.writeString(
                src.resolve("Main.java"),
                "package flagprobe; public class Main { public static void main(String[] a) {"
                        + " System.out.println(\"FLAGPROBE\"); } }\n");
        Path out = work.resolve("module-out");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(
                null,
                null,
                null,
                "--release",
                "17",
                "-d",
                out.toString(),
                work.resolve("module-src/module-info.java").toString(),
                src.resolve("Main.java").toString());
        assertEquals(0, rc, "the module compiles");
        return out;
    }

    private static List<String> concat(String java, String agent, List<String> rest) {
        List<String> command = new ArrayList<>(List.of(java, agent));
        command.addAll(rest);
        return command;
    }

    @Test
    void killHaltsTheJvmAfterWritingTheEvent() throws Exception {
        Path p = policy("kill.yaml", "enforce", "kill", "allow");
        AgentRun run = probe("", Map.of("INLAY_POLICY", p.toString()), "file.read.FileInputStream", "isolation");
        assertEquals(Checker.KILL_EXIT_CODE, run.exitCode, run.describe());
        assertFalse(run.probes.containsKey("isolation"), "nothing runs after a kill");
        JsonNode event = run.of("event").get(0);
        assertEquals("kill", event.path("action").asText());
        assertTrue(event.path("blocked").asBoolean());
    }

    @Test
    void aChangedPolicyFileIsReloadedAndABrokenOneKeepsTheLastGood() throws Exception {
        Path p = policy("live.yaml", "enforce", "deny", "allow");
        Files.writeString(work.resolve("denied").resolve("a.txt"), "a");
        List<String> lines = new CopyOnWriteArrayList<>();
        ProcessBuilder pb = new ProcessBuilder(probeCommand(
                17,
                List.of("-javaagent:" + AgentRun.agentJar().toAbsolutePath() + "=policyPoll=200,eventWindow=100"),
                "loop-read"));
        pb.environment().put("INLAY_POLICY", p.toString());
        pb.redirectErrorStream(true);
        Process process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) lines.add(line);
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            await(lines, "PROBE loop-read DENIED");
            Files.writeString(p, Files.readString(p).replace("action: deny", "action: allow"));
            await(lines, "\"status\":\"policy-reloaded\"");
            await(lines, "PROBE loop-read OK");
            Files.writeString(p, "spec: [\n");
            await(lines, "\"status\":\"policy-reload-failed\"");
            int before = lines.size();
            Thread.sleep(800);
            assertTrue(
                    lines.subList(before, lines.size()).stream().noneMatch(l -> l.contains("loop-read DENIED")),
                    "the last good policy (allow) stays in force");
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void await(List<String> lines, String text) throws InterruptedException {
        long end = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < end) {
            if (lines.stream().anyMatch(l -> l.contains(text))) return;
            Thread.sleep(50);
        }
        throw new AssertionError("no line with " + text + " in:\n" + String.join("\n", lines));
    }

    @Test
    void fileSinkAndBase64PolicyFromTheEnvironment() throws Exception {
        Path p = policy("b64.yaml", "enforce", "deny", "allow");
        Path events = work.resolve("events.jsonl");
        String b64 = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(p));
        AgentRun run = probe(
                "sink=stdout",
                Map.of(
                        "INLAY_POLICY_B64",
                        b64,
                        "INLAY_SINK",
                        "file:" + events,
                        "POD_NAME",
                        "web-1",
                        "POD_NAMESPACE",
                        "shop"),
                "file.read.Files.readString");
        assertEquals(0, run.exitCode, run.describe());
        assertTrue(run.probes.get("file.read.Files.readString").startsWith("DENIED"), run.describe());
        assertTrue(run.lines.isEmpty(), "the environment wins over agent arguments: nothing on stdout");
        List<JsonNode> written = new ArrayList<>();
        for (String line : Files.readAllLines(events)) written.add(AgentRun.JSON.readTree(line));
        JsonNode event = written.stream()
                .filter(n -> n.path("inlay").asText().equals("event"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(written.toString()));
        assertEquals("web-1", event.path("workload").path("podname").asText(), event.toString());
        assertEquals("shop", event.path("workload").path("podnamespace").asText());
    }

    /**
     * Every event names its severity, says what happened in one line, names the policy in force with the digest of
     * its bytes, and the container and image as deployed (INLAY_IMAGE, the downward-API pod name), on JDK 17 and 25.
     * The digest of a policy file that inlay wrap did not record is computed after main(), not at startup.
     */
    @Test
    void eventsCarrySeverityMessagePolicyDigestAndTheDeployedIdentity() throws Exception {
        Path p = policy("identity.yaml", "monitor", "deny", "allow");
        String policyDigest = "sha256:"
                + java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(p)));
        String image = "127.0.0.1:5000/shop/orders:1-inlay@sha256:" + "0123456789abcdef".repeat(4);
        for (int jdk : List.of(17, 25)) {
            Path classes = work.resolve("classes-" + jdk + ".log");
            AgentRun run = AgentRun.run(
                    jdk,
                    "mode=monitor,policy=" + p,
                    Map.of(
                            "INLAY_IMAGE",
                            image,
                            "HOSTNAME",
                            "orders-7d9f",
                            "POD_NAME",
                            "orders-7d9f",
                            "POD_NAMESPACE",
                            "shop",
                            "JAVA_TOOL_OPTIONS",
                            "-Xlog:class+load:file=" + classes),
                    "dev.inlay.probe.Probe",
                    work.toString(),
                    "40000",
                    "file.read.Files.readString");
            assertEquals(0, run.exitCode, run.describe());
            JsonNode started = run.lines.stream()
                    .filter(n -> n.path("status").asText().equals("started"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(run.describe()));
            assertTrue(started.path("policyDigest").isMissingNode(), "not hashed at startup: " + started);
            String beforeMain = Files.readString(classes);
            beforeMain = beforeMain.substring(0, beforeMain.indexOf(" dev.inlay.probe.Probe "));
            assertFalse(
                    beforeMain.contains(" java.security.MessageDigest "), "JDK " + jdk + ": no SHA-256 before main()");
            JsonNode event = run.lines.stream()
                    .filter(n -> n.path("inlay").asText().equals("event"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("JDK " + jdk + ": " + run.describe()));
            String resource = event.path("resource").asText();
            assertEquals("medium", event.path("severity").asText(), "JDK " + jdk + ": " + event);
            assertEquals(
                    "file read " + resource + " by app would be denied by rule probe-files (monitor mode)",
                    event.path("message").asText(),
                    "JDK " + jdk);
            assertEquals("app", event.path("component").asText(), "JDK " + jdk + ": the probe's class directory");
            assertEquals("identity", event.path("policy").path("name").asText(), "JDK " + jdk);
            assertEquals(policyDigest, event.path("policy").path("digest").asText(), "JDK " + jdk);
            JsonNode workload = event.path("workload");
            assertEquals("orders-7d9f", workload.path("hostname").asText(), "JDK " + jdk);
            assertEquals("orders-7d9f", workload.path("podname").asText(), "JDK " + jdk);
            assertEquals(image, workload.path("image").asText(), "JDK " + jdk);
            assertEquals(
                    image.substring(image.indexOf('@') + 1),
                    workload.path("imageDigest").asText(),
                    "JDK " + jdk);
        }
    }

    @Test
    void httpSinkPostsJsonLines() throws Exception {
        Path p = policy("http.yaml", "enforce", "deny", "allow");
        List<String> received = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", exchange -> {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            for (String line :
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) received.add(contentType + " " + line);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
            AgentRun run = probe(
                    "eventWindow=100",
                    Map.of("INLAY_POLICY", p.toString(), "INLAY_SINK", url),
                    "file.read.Files.readString");
            assertEquals(0, run.exitCode, run.describe());
            assertTrue(run.probes.get("file.read.Files.readString").startsWith("DENIED"), run.describe());
        } finally {
            server.stop(0);
        }
        assertTrue(received.stream().allMatch(l -> l.startsWith("application/x-ndjson {")), received.toString());
        assertTrue(
                received.stream().anyMatch(l -> l.contains("\"inlay\":\"event\"") && l.contains("r5.txt")),
                received.toString());
        assertTrue(received.stream().anyMatch(l -> l.contains("\"status\":\"stopped\"")), received.toString());
    }

    @Test
    void jdkToolsStartedWithTheSameToolOptionsAreLeftAlone() throws Exception {
        Path javac = AgentRun.java(17).resolveSibling("javac");
        if (!Files.isExecutable(javac)) AgentRun.missing("javac");
        AgentRun run = AgentRun.exec(
                List.of(javac.toString(), "-version"),
                Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + "=mode=learn"));
        assertEquals(0, run.exitCode, run.describe());
        assertTrue(run.lines.isEmpty(), "no agent output for javac: " + run.describe());
        assertFalse(run.stderr.contains("inlay:"), run.stderr);
    }

    /** The class pack with one class's name in its index changed (same length), as if the class were missing. */
    private static byte[] renamedInPack(byte[] pack, String name, String other) {
        byte[] entry = new byte[name.length() + 2]; // the index holds each name as modified UTF-8: length, bytes
        entry[1] = (byte) name.length();
        System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, entry, 2, name.length());
        for (int i = 0; i + entry.length <= pack.length; i++) {
            if (Arrays.equals(pack, i, i + entry.length, entry, 0, entry.length)) {
                byte[] renamed = pack.clone();
                System.arraycopy(other.getBytes(StandardCharsets.US_ASCII), 0, renamed, i + 2, other.length());
                return renamed;
            }
        }
        throw new AssertionError(name + " is not in the class pack");
    }

    /**
     * A denied accept in a selector loop (the JDK's HTTP server, Netty, Tomcat NIO): the connection is taken and
     * closed with the denial, so the channel is not ready again and the loop is not woken for it without end at full
     * CPU (as it was: 20 denials in 20 rounds, the peer left waiting).
     */
    @Test
    void aDeniedAcceptInASelectorLoopRefusesThePeerInsteadOfSpinning() throws Exception {
        Path p = work.resolve("no-accept.yaml");
        Files.writeString(
                p,
                String.join(
                        "\n",
                        "apiVersion: inlay.dev/v1",
                        "kind: Policy",
                        "metadata: {name: no-accept}",
                        "spec:",
                        "  mode: enforce",
                        "  defaults: {files: allow, network: allow, dns: allow, processes: allow, nativeLibraries: allow,"
                                + " jndi: allow, deserialization: allow, classDefinition: allow, drift: allow}",
                        "  network:",
                        "    - {id: no-accept, action: deny, operations: [accept]}",
                        ""));
        for (int jdk : new int[] {17, 25}) {
            AgentRun run = AgentRun.run(
                    jdk,
                    "mode=enforce,policy=" + p,
                    Map.of(),
                    "dev.inlay.probe.SelectorServer",
                    Integer.toString(40300 + jdk));
            assertEquals(0, run.exitCode, run.describe());
            assertTrue(run.stdout.contains("DENIED 1"), "JDK " + jdk + ": " + run.describe());
            assertTrue(run.stdout.contains("PEER closed"), "JDK " + jdk + ": " + run.describe());
            assertTrue(
                    run.lines.stream()
                            .anyMatch(l -> l.path("operation").asText().equals("accept")
                                    && l.path("rule").asText().equals("no-accept")
                                    && l.path("blocked").asBoolean()),
                    run.describe());
        }
    }
}
