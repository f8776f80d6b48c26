package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coverage matrix (docs/COVERAGE.md): every probe, i.e. one operation through one API path, runs in a real JVM
 * with the agent on JDK 17 and JDK 25. In enforce mode it must fail with the agent's SecurityException and appear as a
 * blocked event on stdout; in learn mode it must appear in a profile document. One JVM per JDK and mode.
 */
class CoverageIT {
    record Expect(String category, String operation, String resource) {
        /** A resource ending in "..." stands for every name it begins: a proxy class's number is the JVM's choice. */
        boolean matches(JsonNode event) {
            String actual = event.path("resource").asText();
            boolean named = resource.endsWith("...")
                    ? actual.startsWith(resource.substring(0, resource.length() - 3))
                    : resource.equals(actual);
            return named
                    && category.equals(event.path("category").asText())
                    && operation.equals(event.path("operation").asText());
        }
    }

    /** probe -> jdk/mode -> outcome, written to target/coverage-matrix.md. */
    private static final Map<String, Map<String, String>> MATRIX = new ConcurrentHashMap<>();

    static final class Setup {
        final Path work;
        final Path denied;
        /**
         * The probe's ports (base to base + 20): below the kernel's ephemeral range (32768 and up on Linux), where any
         * outgoing connection of the machine may hold one (a listen failed with "Address already in use" so once).
         */
        final int port = 10000 + ThreadLocalRandom.current().nextInt(20000);

        final Path jdkHome;

        Setup(int jdk) throws Exception {
            work = Files.createTempDirectory("inlay-coverage");
            denied = work.resolve("denied");
            Files.createDirectories(denied);
            for (String f : List.of(
                    "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "v1", "a", "d1", "d2", "m1", "m2", "w7", "s2",
                    "s3", "d3")) {
                Files.writeString(denied.resolve(f + ".txt"), "line\n");
            }
            Files.deleteIfExists(denied.resolve("w7.txt"));
            Files.writeString(work.resolve("src.txt"), "source\n");
            Files.writeString(work.resolve("src2.txt"), "source\n");
            Files.writeString(work.resolve("src3.txt"), "source\n");
            for (String d : List.of("l1", "l2", "l3", "l4", "l5", "l6")) Files.createDirectories(denied.resolve(d));
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(denied.resolve("z.zip")))) {
                zip.putNextEntry(new ZipEntry("x.txt"));
                zip.write(1);
            }
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(denied.resolve("j.jar")))) {
                jar.putNextEntry(new ZipEntry("y.txt"));
                jar.write(2);
            }
            // The drift baseline vouches for /usr/bin/true and /bin/sh, not for /usr/bin/env.
            StringBuilder baseline = new StringBuilder();
            for (String exe : List.of("/bin/sh", "/usr/bin/true")) {
                Path p = Path.of(exe);
                baseline.append(sha256(p))
                        .append('\t')
                        .append(Files.size(p))
                        .append('\t')
                        .append(exe)
                        .append('\n');
            }
            Files.writeString(work.resolve("baseline.tsv"), baseline.toString());
            jdkHome = AgentRun.java(jdk).getParent().getParent().toRealPath();
        }

        String d(String name) {
            return denied.resolve(name).toString();
        }

        Map<String, Expect> expectations(int jdk) {
            Map<String, Expect> e = new LinkedHashMap<>();
            String[][] files = {
                {"file.read.FileInputStream", "read", "r1.txt"},
                {"file.read.RandomAccessFile", "read", "r2.txt"},
                {"file.read.Files.newInputStream", "read", "r3.txt"},
                {"file.read.Files.readAllBytes", "read", "r4.txt"},
                {"file.read.Files.readString", "read", "r5.txt"},
                {"file.read.Files.lines", "read", "r6.txt"},
                {"file.read.Files.newByteChannel", "read", "r7.txt"},
                {"file.read.FileChannel.open", "read", "r8.txt"},
                {"file.read.AsynchronousFileChannel", "read", "r9.txt"},
                {"file.read.ZipFile", "read", "z.zip"},
                {"file.read.JarFile", "read", "j.jar"},
                {"file.write.FileOutputStream", "write", "w1.txt"},
                {"file.write.RandomAccessFile", "write", "w2.txt"},
                {"file.write.Files.newOutputStream", "write", "w3.txt"},
                {"file.write.Files.write", "write", "w4.txt"},
                {"file.write.Files.writeString", "write", "w5.txt"},
                {"file.write.FileChannel.open", "write", "w6.txt"},
                {"file.write.Files.copy", "write", "w7.txt"},
                {"file.create.File.createNewFile", "create", "c1.txt"},
                {"file.create.File.createTempFile", "create", "probe*.tmp"},
                {"file.create.Files.createFile", "create", "c2.txt"},
                {"file.create.File.mkdir", "create", "c3"},
                {"file.create.Files.createDirectory", "create", "c4"},
                {"file.delete.File.delete", "delete", "d1.txt"},
                {"file.delete.Files.delete", "delete", "d2.txt"},
                {"file.delete.File.renameTo", "delete", "m1.txt"},
                {"file.delete.Files.move", "delete", "m2.txt"},
                {"file.list.File.list", "list", "l1"},
                {"file.list.File.listFiles", "list", "l2"},
                {"file.list.Files.list", "list", "l3"},
                {"file.list.Files.walk", "list", "l4"},
                {"file.list.Files.newDirectoryStream", "list", "l5"}
            };
            for (String[] f : files) e.put(f[0], new Expect("file", f[1], d(f[2])));
            // a File subclass whose getPath() names an allowed file: checked on the path the JDK really uses
            e.put("file.delete.File.subclassFakingGetPath", new Expect("file", "delete", d("d3.txt")));
            e.put("file.write.File.renameToASubclassFakingGetPath", new Expect("file", "write", d("m3.txt")));
            e.put("file.write.SecureDirectoryStream.newByteChannel", new Expect("file", "write", d("s1.txt")));
            e.put("file.delete.SecureDirectoryStream.deleteFile", new Expect("file", "delete", d("s2.txt")));
            e.put("file.delete.SecureDirectoryStream.move", new Expect("file", "delete", d("s3.txt")));
            e.put("file.write.SecureDirectoryStream.move", new Expect("file", "write", d("s4.txt")));
            e.put("file.list.SecureDirectoryStream.newDirectoryStream", new Expect("file", "list", d("l6")));
            // NIO draws the random name before its funnel: the event names the file.
            e.put("file.create.Files.createTempFile", new Expect("file", "create", d("nio") + "..."));
            e.put("file.create.Files.createTempDirectory", new Expect("file", "create", d("niodir") + "..."));
            String[] tcp = {
                "Socket",
                "SocketChannel",
                "SocketChannel.nonBlocking",
                "SocketChannel.socket",
                "AsynchronousSocketChannel",
                "HttpURLConnection",
                "HttpClient"
            };
            for (int i = 0; i < tcp.length; i++) {
                e.put("network.connect." + tcp[i], new Expect("network", "connect", "tcp://127.0.0.1:" + (port + i)));
            }
            String[] udp = {
                "DatagramSocket.send", "DatagramChannel.send", "DatagramChannel.connect", "DatagramSocket.connect"
            };
            for (int i = 0; i < udp.length; i++) {
                e.put(
                        "network.connect." + udp[i],
                        new Expect("network", "connect", "udp://127.0.0.1:" + (port + 7 + i)));
            }
            e.put("network.listen.ServerSocket", new Expect("network", "listen", "tcp://:" + (port + 11)));
            e.put("network.listen.ServerSocketChannel", new Expect("network", "listen", "tcp://:" + (port + 12)));
            e.put(
                    "network.listen.AsynchronousServerSocketChannel",
                    new Expect("network", "listen", "tcp://:" + (port + 13)));
            e.put("network.listen.DatagramSocket", new Expect("network", "listen", "udp://:" + (port + 14)));
            e.put("network.accept.ServerSocket", new Expect("network", "accept", "tcp://:" + (port + 15)));
            e.put("network.accept.ServerSocketChannel", new Expect("network", "accept", "tcp://:" + (port + 16)));
            e.put("dns.resolve.InetAddress.getByName", new Expect("dns", "resolve", "localhost"));
            e.put("dns.resolve.InetAddress.getAllByName", new Expect("dns", "resolve", "ip6-localhost"));
            e.put("process.exec.ProcessBuilder", new Expect("process", "exec", "/usr/bin/true"));
            e.put("process.exec.Runtime.exec", new Expect("process", "exec", "/bin/sh"));
            e.put("drift.exec.ProcessBuilder", new Expect("drift", "exec", "/usr/bin/env"));
            e.put(
                    "native.load.System.load",
                    new Expect(
                            "native",
                            "load",
                            jdkHome.resolve("lib/libj2pkcs11.so").toString()));
            if (jdk >= 22) {
                e.put(
                        "native.load.SymbolLookup.libraryLookup",
                        new Expect(
                                "native",
                                "load",
                                jdkHome.resolve("lib/libj2gss.so").toString()));
            }
            e.put(
                    "jndi.lookup.InitialContext.lookup",
                    new Expect("jndi", "lookup", "ldap://127.0.0.1:" + (port + 17) + "/cn=probe"));
            e.put(
                    "jndi.lookup.InitialDirContext.getAttributes",
                    new Expect("jndi", "lookup", "ldap://127.0.0.1:" + (port + 18) + "/cn=probe2"));
            e.put(
                    "deserialization.deserialize.ObjectInputStream",
                    new Expect("deserialization", "deserialize", "dev.inlay.probe.Probe$Payload"));
            e.put(
                    "deserialization.deserialize.ObjectInputStream.withFilter",
                    new Expect("deserialization", "deserialize", "dev.inlay.probe.Probe$FilteredPayload"));
            e.put(
                    "classdef.define.ClassLoader.defineClass",
                    new Expect("classdef", "define", "dev.inlay.probe.DefinedFromBytes"));
            e.put(
                    "classdef.define.Lookup.defineClass",
                    new Expect("classdef", "define", "dev.inlay.probe.DefinedByLookup"));
            e.put(
                    "classdef.define.Lookup.defineClass.throughTheJdk",
                    new Expect("classdef", "define", "dev.inlay.probe.DefinedIndirectly"));
            e.put(
                    "classdef.define.Lookup.defineHiddenClass",
                    new Expect("classdef", "define", "dev.inlay.probe.DefinedHidden"));
            e.put(
                    "classdef.define.Proxy.newProxyInstance",
                    new Expect("classdef", "define", "dev.inlay.probe.$Proxy..."));
            if (jdk >= 21) e.put("file.read.virtualThread", new Expect("file", "read", d("v1.txt")));
            return e;
        }

        String policy(Path jdkHome) {
            return String.join(
                    "\n",
                    "apiVersion: inlay.dev/v1",
                    "kind: Policy",
                    "metadata:",
                    "  name: coverage",
                    "spec:",
                    "  mode: enforce",
                    "  defaults: {files: allow, network: allow, dns: allow, processes: allow, nativeLibraries: allow,"
                            + " jndi: allow, deserialization: allow, classDefinition: allow, drift: deny}",
                    "  files:",
                    "    - {id: deny-probe-files, action: deny, paths: [\"" + denied + "/**\"]}",
                    "  network:",
                    "    - {id: deny-probe-connect, action: deny, operations: [connect], ports: [\"" + port + "-"
                            + (port + 10) + "\"]}",
                    "    - {id: deny-probe-listen, action: deny, operations: [listen], ports: [\"" + (port + 11) + "-"
                            + (port + 14) + "\"]}",
                    "    - {id: deny-probe-accept, action: deny, operations: [accept], ports: [\"" + (port + 15) + "-"
                            + (port + 16) + "\"]}",
                    "  dns:",
                    "    - {id: deny-probe-names, action: deny, names: [localhost, ip6-localhost]}",
                    "  processes:",
                    "    - {id: deny-probe-exec, action: deny, executables: [/usr/bin/true, /bin/sh]}",
                    "  nativeLibraries:",
                    "    - {id: deny-probe-native, action: deny, paths: [\"" + jdkHome + "/lib/libj2*\"]}",
                    "  jndi:",
                    "    - {id: deny-probe-jndi, action: deny, schemes: [ldap]}",
                    "  deserialization:",
                    "    - {id: deny-probe-classes, action: deny, classes: [\"dev.inlay.probe.**\"]}",
                    "  classDefinition:",
                    "    - {id: deny-probe-define, action: deny, classes: [\"dev.inlay.probe.**\"]}",
                    "");
        }
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static String[] probeArgs(Setup s, Map<String, Expect> expected) {
        List<String> args = new ArrayList<>(List.of(s.work.toString(), String.valueOf(s.port), "isolation"));
        args.addAll(expected.keySet());
        return args.toArray(new String[0]);
    }

    /** ASM at startup (the agent jar alone), or hooked classes computed at wrap time (the layout inlay wrap writes). */
    enum HookSource {
        ASM,
        PRECOMPUTED
    }

    private static Path agentJar(HookSource hooks) throws Exception {
        return hooks == HookSource.ASM ? AgentRun.agentJar() : AgentRun.agentJarWithPrecomputedHooks();
    }

    /** A cell is what every hook source gave: one that fails fails the cell. */
    private static void cell(String probe, String column, String outcome) {
        MATRIX.computeIfAbsent(probe, k -> new ConcurrentHashMap<>())
                .merge(column, outcome, (a, b) -> a.equals(b) ? a : "FAIL");
    }

    @ParameterizedTest(name = "JDK {0}, hooks by {1}")
    @CsvSource({"17, ASM", "17, PRECOMPUTED", "25, ASM", "25, PRECOMPUTED"})
    void enforceDeniesEveryPathInTheCallingThreadAndReportsIt(int jdk, HookSource hooks) throws Exception {
        Setup s = new Setup(jdk);
        Map<String, Expect> expected = s.expectations(jdk);
        Path policy = s.work.resolve("policy.yaml");
        Files.writeString(policy, s.policy(s.jdkHome));
        AgentRun run = AgentRun.run(
                jdk,
                agentJar(hooks),
                "eventWindow=200",
                Map.of(
                        "INLAY_POLICY",
                        policy.toString(),
                        "INLAY_BASELINE",
                        s.work.resolve("baseline.tsv").toString()),
                "dev.inlay.probe.Probe",
                probeArgs(s, expected));
        assertEquals(0, run.exitCode, run.describe());
        assertHookedCleanly(run, hooks);
        assertEquals("OK", run.probes.get("isolation"), run.describe());
        List<String> problems = new ArrayList<>();
        List<JsonNode> events = run.of("event");
        for (Map.Entry<String, Expect> e : expected.entrySet()) {
            String outcome = run.probes.getOrDefault(e.getKey(), "MISSING");
            Expect x = e.getValue();
            boolean evented = events.stream()
                    .anyMatch(ev -> ev.path("blocked").asBoolean()
                            && x.matches(ev)
                            && ev.path("rule").asText().startsWith("de"));
            boolean ok = outcome.startsWith("DENIED") && evented;
            cell(e.getKey(), jdk + " enforce", ok ? "denied" : "FAIL");
            if (!ok) problems.add(e.getKey() + ": " + outcome + (evented ? "" : " (no blocked event for " + x + ")"));
        }
        assertTrue(problems.isEmpty(), "not denied:\n" + String.join("\n", problems) + "\n" + run.describe());
        JsonNode one = events.get(0);
        for (String field : List.of(
                "time",
                "agent",
                "mode",
                "action",
                "category",
                "operation",
                "resource",
                "rule",
                "count",
                "pid",
                "thread",
                "workload")) {
            assertTrue(one.has(field), field + " in " + one);
        }
    }

    @ParameterizedTest(name = "JDK {0}, hooks by {1}")
    @CsvSource({"17, ASM", "17, PRECOMPUTED", "25, ASM", "25, PRECOMPUTED"})
    void learnRecordsEveryPathInAProfile(int jdk, HookSource hooks) throws Exception {
        Setup s = new Setup(jdk);
        Map<String, Expect> expected = s.expectations(jdk);
        Path profiles = s.work.resolve("profiles");
        AgentRun run = AgentRun.run(
                jdk,
                agentJar(hooks),
                "mode=learn,profileInterval=1",
                Map.of(
                        "INLAY_PROFILE_DIR",
                        profiles.toString(),
                        "INLAY_BASELINE",
                        s.work.resolve("baseline.tsv").toString()),
                "dev.inlay.probe.Probe",
                probeArgs(s, expected));
        assertEquals(0, run.exitCode, run.describe());
        assertHookedCleanly(run, hooks);
        assertTrue(run.of("event").isEmpty(), "learn mode reports no decisions");
        List<JsonNode> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(profiles)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                for (String line : Files.readAllLines(f)) documents.add(AgentRun.JSON.readTree(line));
            }
        }
        assertTrue(!documents.isEmpty(), "profile documents in " + profiles);
        assertEquals(documents.size(), run.of("profile").size(), "the same documents on the event stream");
        assertTrue(documents.stream().anyMatch(d -> d.path("final").asBoolean()), "a final document at shutdown");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Expect> e : expected.entrySet()) {
            Expect x = e.getValue();
            boolean recorded = documents.stream()
                    .flatMap(d -> stream(d.path("behaviors")))
                    .anyMatch(b -> x.matches(b) && b.path("count").asLong() > 0);
            cell(e.getKey(), jdk + " learn", recorded ? "recorded" : "FAIL");
            if (!recorded) problems.add(e.getKey() + ": " + x + " (probe: " + run.probes.get(e.getKey()) + ")");
        }
        assertTrue(problems.isEmpty(), "not recorded:\n" + String.join("\n", problems) + "\n" + run.describe());
        // The probe's lambdas, the JDK's LambdaForms and annotation proxies are the JDK's class definitions, not the
        // application's: only what the probes defined is recorded (on JDK 17 MethodHandleProxies makes a Proxy too).
        List<String> defined = documents.stream()
                .flatMap(d -> stream(d.path("behaviors")))
                .filter(b -> "classdef".equals(b.path("category").asText()))
                .map(b -> b.path("resource").asText())
                .distinct()
                .sorted()
                .toList();
        assertTrue(
                defined.stream()
                        .allMatch(name -> name.startsWith("dev.inlay.probe.Defined")
                                || name.startsWith("dev.inlay.probe.$Proxy")
                                || name.startsWith("com.sun.proxy.jdk.proxy")),
                "class definitions recorded: " + defined);
    }

    /**
     * Every hook found its method on this JDK: the started status names no hook errors. With precomputed hooks every
     * class was hooked with them, those loaded before the agent and those loaded later (the stopped status counts the
     * whole run); without, none was.
     */
    private static JsonNode status(AgentRun run, String name) {
        return run.of("status").stream()
                .filter(n -> name.equals(n.path("status").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " status\n" + run.describe()));
    }

    private static void assertHookedCleanly(AgentRun run, HookSource hooks) {
        JsonNode started = status(run, "started");
        assertTrue(started.path("hookErrors").isMissingNode(), started.toString());
        assertTrue(started.path("transformed").asInt() >= 8, started.toString());
        JsonNode stopped = status(run, "stopped");
        int transformed = stopped.path("transformed").asInt();
        assertTrue(transformed > started.path("transformed").asInt(), "funnels hooked as they load: " + stopped);
        boolean precomputed = hooks == HookSource.PRECOMPUTED;
        assertEquals(
                precomputed ? started.path("transformed").asInt() : 0,
                started.path("precomputed").asInt(),
                started.toString());
        assertEquals(precomputed ? transformed : 0, stopped.path("precomputed").asInt(), stopped.toString());
        // The bridge is defined in the boot loader, not appended to its class path: CDS stays on for the application.
        assertTrue(!run.stderr.contains("bootstrap classpath has been appended"), run.stderr);
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }

    @AfterAll
    static void writeMatrix() throws IOException {
        StringBuilder md = new StringBuilder(
                "| probe | 17 enforce | 17 learn | 25 enforce | 25 learn |\n" + "| --- | --- | --- | --- | --- |\n");
        new TreeMap<>(MATRIX)
                .forEach((probe, cells) -> md.append("| `")
                        .append(probe)
                        .append("` | ")
                        .append(cells.getOrDefault("17 enforce", "-"))
                        .append(" | ")
                        .append(cells.getOrDefault("17 learn", "-"))
                        .append(" | ")
                        .append(cells.getOrDefault("25 enforce", "-"))
                        .append(" | ")
                        .append(cells.getOrDefault("25 learn", "-"))
                        .append(" |\n"));
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            try (OutputStream out = Files.newOutputStream(target.resolve("coverage-matrix.md"))) {
                out.write(md.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
