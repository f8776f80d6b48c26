package dev.inlay.profiler.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.inlay.cli.profiler.PolicyCommand;
import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Policy;
import dev.inlay.policy.PolicyParser;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;
import dev.inlay.policy.engine.PolicyEngine;
import dev.inlay.profiler.CliRun;
import dev.inlay.profiler.generate.PolicyGenerator;
import dev.inlay.profiler.profile.MergedProfile;
import dev.inlay.profiler.profile.ProfileReader;
import dev.inlay.profiler.review.PolicyLinter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The profiler against real recordings: the example docservice runs on the host under the real agent, learns twice
 * (two replicas, different benign inputs), the profiler merges both captured outputs and generates a policy, and a
 * third run in monitor mode with yet other benign inputs must report nothing, while four unlearned behaviors (path
 * traversal, command injection, SSRF to a port never used, deserialization of a class the client never sends) must
 * each be reported.
 *
 * <p>Needs {@code runtime-layer/target/inlay-agent.jar} and {@code examples/target/docservice.jar} (built by
 * {@code mvn install}); without them it skips, or fails under {@code CI=true}. The service's data directory lives under
 * this module's {@code target/}, or {@code /srv/inlay-it} when the checkout is under {@code /tmp}, {@code /home} or
 * {@code /root}, where the generator never collapses paths (set {@code INLAY_IT_DIR} to choose).
 */
class RealRecordingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VIOLATIONS = Set.of("deny", "kill", "alert");

    /** Three disjoint sets of benign inputs: two learning replicas and the monitored run. */
    private static final List<Doc> REPLICA_A = List.of(
            new Doc("q1-report.txt", "Quarterly report", "revenue grew in the first quarter", "revenue"),
            new Doc("minutes_march.md", "Board minutes", "# minutes\nthe board met in march", "board"),
            new Doc("contract-acme.txt", "Acme contract", "terms and conditions for acme", "acme"),
            new Doc("notes", "Notes", "short note", "note"),
            new Doc("budget2026.csv", "Budget", "item,amount\nrent,1200\n", "rent"),
            new Doc("Hiring.Plan.md", "Hiring plan", "two engineers, one designer", "engineers"));

    private static final List<Doc> REPLICA_B = List.of(
            new Doc("q2-report.txt", "Second quarter", "costs fell in the second quarter", "costs"),
            new Doc("offsite_agenda.md", "Offsite", "agenda: planning, dinner", "agenda"),
            new Doc("supplier-list.csv", "Suppliers", "name,country\nglobex,fr\n", "globex"),
            new Doc("README", "Read me", "how to use the archive", "archive"),
            new Doc("policy_v3.txt", "Travel policy", "economy class below six hours", "economy"),
            new Doc("retro-sprint-7.md", "Retro", "went well: deploys; to improve: reviews", "deploys"));
    private static final List<Doc> MONITORED = List.of(
            new Doc("annual-summary.txt", "Annual summary", "a year of steady growth", "growth"),
            new Doc("vendor_nda.md", "NDA", "mutual non-disclosure agreement", "disclosure"),
            new Doc("inventory.csv", "Inventory", "sku,qty\nA-1,4\n", "sku"),
            new Doc("Onboarding.Guide.txt", "Onboarding", "welcome aboard, read this first", "welcome"),
            new Doc("press-release-final.md", "Press", "we are pleased to announce", "pleased"));

    private record Doc(String name, String title, String body, String word) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    /** Loads the service's own wire classes, for the legacy client's serialized uploads. */
    private java.net.URLClassLoader imports;

    @AfterEach
    void stopEverything() {
        for (Process p : processes) p.destroyForcibly();
        for (HttpServer s : servers) s.stop(0);
        if (imports != null) {
            try {
                imports.close();
            } catch (IOException ignored) {
                // only a temporary copy of the jar stays open
            }
        }
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void learnedPolicyKeepsNewBenignInputsQuietAndReportsUnlearnedBehaviors(int jdk) throws Exception {
        String java = javaExecutable(jdk);
        Path serviceJar = built("examples/target/docservice.jar");
        Path work = workDir("jdk" + jdk);
        // Copies: sibling modules may be rebuilt while this runs, and every run must read the same paths.
        List<Path> agents = new ArrayList<>(List.of(sibling("runtime-layer/target/inlay-agent.jar")));
        agents.addAll(installedAgents());
        if (agents.stream().noneMatch(Files::isRegularFile)) missing(agents.get(0));
        Path agent = copyComplete(agents, work.resolve("inlay-agent.jar"));
        Path service = copyComplete(List.of(serviceJar), work.resolve("docservice.jar"));

        int apiPort = startUpstream();
        int metadataPort = startMetadata();
        int port = freePort();
        Service svc = new Service(java, agent, service, work.resolve("app/data"), port, apiPort);

        imports = new java.net.URLClassLoader(
                new java.net.URL[] {service.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Path learnA = svc.run("learn-a", "mode=learn", () -> benign(port, apiPort, REPLICA_A));
        Path learnB = svc.run("learn-b", "mode=learn", () -> benign(port, apiPort, REPLICA_B));

        MergedProfile merged = new MergedProfile();
        ProfileReader.readAll(List.of(learnA.toString(), learnB.toString()), System.in, merged);
        assertEquals(
                2,
                merged.runs(),
                "both runs wrote their profile: " + merged.counters().summary());
        String yaml = PolicyGenerator.generate(
                        merged,
                        new PolicyGenerator.Options(
                                "docservice",
                                dev.inlay.policy.Mode.MONITOR,
                                PolicyGenerator.DEFAULT_COLLAPSE_THRESHOLD))
                .toYaml();
        Path policy = Files.writeString(work.resolve("policy.yaml"), yaml);
        CliRun cli = CliRun.run(
                new PolicyCommand(),
                "generate",
                learnA.toString(),
                learnB.toString(),
                "--name",
                "docservice",
                "--mode",
                "monitor");
        assertEquals(0, cli.code(), cli.toString());
        assertEquals(yaml.strip(), cli.out().strip(), "the command generates the same policy from the same logs");
        // Roots (${user.dir}/..., ${app.classpath}) as the service resolves them: it runs in this JVM's directory.
        dev.inlay.policy.Roots roots = dev.inlay.policy.Roots.of(
                Path.of(java).getParent().getParent().toString(),
                service.toString(),
                "/tmp",
                System.getProperty("user.dir"));
        assertTightOnTheRecording(roots.expand(PolicyParser.parse(yaml, policy.toString())), svc.dataDir, yaml);

        Instant[] attacksFrom = new Instant[1];
        Path monitored = svc.run("monitor", "mode=monitor,policy=" + policy, () -> {
            benign(port, apiPort, MONITORED);
            attacksFrom[0] = Instant.now();
            attacks(port, metadataPort);
        });

        List<JsonNode> violations = violations(monitored);
        List<JsonNode> benignViolations = violations.stream()
                .filter(e -> Instant.parse(e.get("time").asText()).isBefore(attacksFrom[0]))
                .toList();
        assertTrue(
                benignViolations.isEmpty(),
                "new benign inputs must not be reported, but were:\n" + describe(benignViolations) + "\npolicy:\n"
                        + yaml);

        assertReported(violations, "file", "read", "/etc/passwd", yaml);
        JsonNode shell = violations.stream()
                .filter(e -> e.path("category").asText().equals("process")
                        && e.path("resource").asText().matches("(/usr)?/bin/(ba|da)?sh"))
                .findFirst()
                .orElse(null);
        assertTrue(shell != null, "the injected shell is reported: " + describe(violations));
        assertEquals("exec", shell.path("operation").asText());
        assertTrue(shell.toString().contains("getent hosts 127.0.0.1; id"), "the event names the command: " + shell);
        assertReported(violations, "network", "connect", "tcp://127.0.0.1:" + metadataPort, yaml);
        assertReported(violations, "deserialization", "deserialize", "java.util.HashMap", yaml);
        for (JsonNode e : violations) {
            assertEquals("monitor", e.path("mode").asText(), e.toString());
            assertEquals(false, e.path("blocked").asBoolean(true), "monitor mode blocks nothing: " + e);
        }
        assertEquals(
                4,
                violations.stream()
                        .map(e -> e.path("category").asText() + " "
                                + e.path("resource").asText())
                        .distinct()
                        .count(),
                "exactly the four unlearned behaviors are reported:\n" + describe(violations));
    }

    /** What a reviewer expects from these recordings: the upload directory and its checksums, nothing broad. */
    private static void assertTightOnTheRecording(Policy policy, Path dataDir, String yaml) {
        String docs = dataDir.resolve("docs") + "/*";
        Rule files = policy.rules(Category.FILE).stream()
                .filter(r -> r.values(Selector.PATHS).contains(docs))
                .findFirst()
                .orElseThrow(() -> new AssertionError("uploads become " + docs + ":\n" + yaml));
        assertEquals(Set.of(Operation.READ, Operation.WRITE), files.operations(), yaml);
        List<Rule> processes = policy.rules(Category.PROCESS).stream()
                .filter(r -> r.action() == dev.inlay.policy.Action.ALLOW)
                .toList();
        assertEquals(1, processes.size(), "one checksum rule for every upload:\n" + yaml);
        assertEquals(processes, policy.rules(Category.PROCESS), "no deny rules are needed to keep it tight:\n" + yaml);
        assertTrue(
                PolicyEngine.compile(policy)
                        .process(List.of("/usr/bin/sha256sum", docs.replace("*", "../../../etc/shadow")))
                        .action()
                        .blocks(),
                "the checksum rule cannot be walked out of the upload directory");
        assertEquals(List.of("/usr/bin/sha256sum"), processes.get(0).values(Selector.EXECUTABLES));
        assertEquals(List.of(docs), processes.get(0).values(Selector.ARGS));
        for (Rule r : policy.rules(Category.FILE)) {
            for (String path : r.values(Selector.PATHS)) {
                assertFalse(
                        path.startsWith("/etc/") && path.contains("*"), "nothing under /etc is generalized: " + path);
                assertFalse(
                        path.contains("*") && r.operations().contains(Operation.WRITE) && !path.equals(docs),
                        "the upload directory is the only written pattern: " + path);
            }
        }
        List<PolicyLinter.Finding> findings = PolicyLinter.lint(policy).stream()
                .filter(f -> f.kind() == PolicyLinter.Kind.BROAD || f.kind() == PolicyLinter.Kind.SECRET)
                .toList();
        assertTrue(findings.isEmpty(), "lint finds nothing broad or secret: " + findings + "\n" + yaml);
    }

    // --- traffic ---------------------------------------------------------------------------------------------

    private void benign(int port, int apiPort, List<Doc> docs) throws Exception {
        String base = "http://127.0.0.1:" + port;
        for (Doc d : docs) {
            HttpResponse<String> put = send(
                    HttpRequest.newBuilder(URI.create(base + "/docs?name=" + q(d.name()) + "&title=" + q(d.title())))
                            .PUT(HttpRequest.BodyPublishers.ofString(d.body())));
            assertEquals(201, put.statusCode(), put.body());
            HttpResponse<String> read = get(base + "/docs?name=" + q(d.name()));
            assertEquals(d.body(), read.body());
            assertTrue(get(base + "/search?q=" + q(d.word())).body().contains(d.name()));
        }
        assertTrue(get(base + "/docs/list").body().contains(docs.get(0).name()));
        // link previews of the public portal pages: the neighbour the service legitimately calls
        for (Doc d : docs.subList(0, 2)) {
            HttpResponse<String> preview =
                    get(base + "/preview?url=" + q("http://127.0.0.1:" + apiPort + "/public/" + d.word()));
            assertTrue(preview.body().contains("document portal"), preview.body());
        }
        // the legacy desktop client's serialized upload, with names of its own
        for (Doc d : docs.subList(2, 4)) {
            Object imported = imports.loadClass("dev.inlay.examples.docservice.ImportedDocument")
                    .getConstructor(String.class, String.class, String.class)
                    .newInstance("imported-" + d.name(), d.title(), d.body() + " (imported)");
            HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(base + "/import"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(serialize(imported))));
            assertEquals(201, post.statusCode(), post.body());
        }
        assertEquals("ok\n", get(base + "/health").body());
    }

    private static byte[] serialize(Object o) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private void attacks(int port, int metadataPort) throws Exception {
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> passwd = get(base + "/docs?name=" + q("../".repeat(24) + "etc/passwd"));
        assertTrue(passwd.body().contains("root:"), "monitor mode lets the traversal through: " + passwd.body());
        HttpResponse<String> injected = get(base + "/diag/lookup?host=" + q("127.0.0.1; id"));
        assertTrue(injected.body().contains("uid="), "monitor mode lets the injection through: " + injected.body());
        HttpResponse<String> ssrf = get(base + "/preview?url="
                + q("http://127.0.0.1:" + metadataPort + "/latest/meta-data/iam/security-credentials/docservice"));
        assertTrue(ssrf.body().contains("SecretAccessKey"), "monitor mode lets the SSRF through: " + ssrf.body());
        // not a gadget chain, just a class the legacy client never sends: reported before the service rejects it
        java.util.HashMap<String, String> unexpected = new java.util.HashMap<>(java.util.Map.of("name", "x"));
        HttpResponse<String> foreign = send(HttpRequest.newBuilder(URI.create(base + "/import"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(serialize(unexpected))));
        assertEquals(400, foreign.statusCode(), foreign.body());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // --- the service under the agent ------------------------------------------------------------------------

    private interface Traffic {
        void drive() throws Exception;
    }

    private final class Service {
        private final String java;
        private final Path agent;
        private final Path jar;
        final Path dataDir;
        private final int port;
        private final int apiPort;

        Service(String java, Path agent, Path jar, Path dataDir, int port, int apiPort) {
            this.java = java;
            this.agent = agent;
            this.jar = jar;
            this.dataDir = dataDir;
            this.port = port;
            this.apiPort = apiPort;
        }

        /** One replica's life: a fresh data directory at the same path, traffic, SIGTERM; returns its stdout. */
        Path run(String name, String agentArgs, Traffic traffic) throws Exception {
            deleteTree(dataDir);
            Path out = dataDir.getParent().getParent().resolve(name + ".out");
            Path err = dataDir.getParent().getParent().resolve(name + ".err");
            ProcessBuilder pb = new ProcessBuilder(
                            java, "-javaagent:" + agent + "=" + agentArgs, "-jar", jar.toString())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_"));
            pb.environment().put("PORT", Integer.toString(port));
            pb.environment().put("DATA_DIR", dataDir.toString());
            pb.environment().put("UPSTREAM_URL", "http://127.0.0.1:" + apiPort);
            Process p = pb.start();
            processes.add(p);
            awaitHealthy(p, err);
            traffic.drive();
            p.destroy(); // SIGTERM: the agent writes its final profile and flushes pending events
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), name + " did not stop after SIGTERM");
            String stdout = Files.readString(out);
            assertTrue(
                    stdout.contains("\"status\":\"stopped\""),
                    name + " wrote no stop status:\n" + tail(stdout) + "\n--- stderr\n" + tail(Files.readString(err)));
            return out;
        }

        private void awaitHealthy(Process p, Path err) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive())
                    Assertions.fail("the service exited with " + p.exitValue() + ":\n" + Files.readString(err));
                try {
                    if (get("http://127.0.0.1:" + port + "/health").statusCode() == 200) return;
                } catch (IOException notYet) {
                    Thread.sleep(250);
                }
            }
            Assertions.fail("the service did not become healthy:\n" + Files.readString(err));
        }
    }

    private int startUpstream() throws IOException {
        HttpServer api = server();
        api.createContext("/classify", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            respond(ex, body.contains("contract") || body.contains("agreement") ? "legal,internal" : "internal");
        });
        api.createContext(
                "/public/",
                ex -> respond(ex, "<html><head><title>Welcome to the document portal</title></head></html>\n"));
        return api.getAddress().getPort();
    }

    /** The imitation instance-metadata service: only an SSRF ever reaches it. */
    private int startMetadata() throws IOException {
        HttpServer metadata = server();
        metadata.createContext(
                "/latest/meta-data/iam/security-credentials/",
                ex -> respond(ex, "{\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"example\"}\n"));
        return metadata.getAddress().getPort();
    }

    private HttpServer server() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.start();
        servers.add(s);
        return s;
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    // --- reading events -------------------------------------------------------------------------------------

    private static List<JsonNode> violations(Path output) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            int brace = line.indexOf("{\"inlay\"");
            if (brace < 0) continue;
            JsonNode node = JSON.readTree(line.substring(brace));
            if ("event".equals(node.path("inlay").asText())
                    && VIOLATIONS.contains(node.path("action").asText())) {
                out.add(node);
            }
        }
        return out;
    }

    private static void assertReported(
            List<JsonNode> violations, String category, String operation, String resource, String policy) {
        boolean found = violations.stream()
                .anyMatch(e -> e.path("category").asText().equals(category)
                        && e.path("operation").asText().equals(operation)
                        && e.path("resource").asText().equals(resource));
        assertTrue(
                found,
                category + " " + operation + " " + resource + " is reported; events:\n" + describe(violations)
                        + "\npolicy:\n" + policy);
    }

    private static String describe(List<JsonNode> events) {
        StringBuilder b = new StringBuilder();
        for (JsonNode e : events) {
            b.append("  ")
                    .append(e.path("action").asText())
                    .append(' ')
                    .append(e.path("category").asText())
                    .append(' ')
                    .append(e.path("operation").asText())
                    .append(' ')
                    .append(e.path("resource").asText());
            if (e.has("args")) b.append(' ').append(e.get("args"));
            b.append(" (rule ").append(e.path("rule").asText()).append(")\n");
        }
        return b.toString();
    }

    // --- environment ----------------------------------------------------------------------------------------

    private static Path built(String relative) {
        Path p = sibling(relative);
        if (!Files.isRegularFile(p)) missing(p);
        return p;
    }

    private static Path sibling(String relative) {
        return Path.of("..").resolve(relative).toAbsolutePath().normalize();
    }

    private static void missing(Path p) {
        String what = p + " (run mvn install -DskipTests -pl runtime-layer,examples)";
        if ("true".equals(System.getenv("CI"))) Assertions.fail("missing build output: " + what);
        org.junit.jupiter.api.Assumptions.abort("missing build output: " + what);
    }

    /**
     * Copies the first whole jar of {@code candidates}: in a shared tree a sibling build may be rewriting
     * {@code target/} right now (the agent's packaging takes a while), so the installed copy is the fallback.
     */
    private static Path copyComplete(List<Path> candidates, Path to) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            for (Path jar : candidates) {
                if (!Files.isRegularFile(jar)) continue;
                Files.copy(jar, to, StandardCopyOption.REPLACE_EXISTING);
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(to.toFile())) {
                    if (zip.getEntry("META-INF/MANIFEST.MF") != null) return to;
                } catch (java.util.zip.ZipException partial) {
                    // being written: try the next candidate, then again
                }
            }
            if (System.nanoTime() > deadline) Assertions.fail("no complete jar among " + candidates);
            Thread.sleep(2000);
        }
    }

    /** The agent as {@code mvn install} put it in the local repository (the module's main artifact). */
    private static List<Path> installedAgents() throws IOException {
        String configured = System.getProperty("maven.repo.local");
        Path repo = configured != null
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path module = repo.resolve("dev/inlay/inlay-runtime-layer");
        if (!Files.isDirectory(module)) return List.of();
        try (Stream<Path> jars = Files.walk(module, 2)) {
            return jars.filter(p -> p.getFileName().toString().matches("inlay-runtime-layer-[^-]+\\.jar"))
                    .sorted(Comparator.comparing(RealRecordingTest::modified).reversed())
                    .toList();
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    private static Path workDir(String name) throws IOException {
        String configured = System.getenv("INLAY_IT_DIR");
        Path base = (configured == null || configured.isBlank() ? Path.of("target") : Path.of(configured))
                .toAbsolutePath()
                .normalize();
        if (configured == null || configured.isBlank()) {
            // A checkout under a scratch or home tree (CI clones into /tmp) would hide the data-directory rules.
            for (String tree : List.of("/tmp", "/var/tmp", "/home", "/root")) {
                if (base.startsWith(tree)) base = Path.of("/srv/inlay-it");
            }
        }
        Path dir = base.resolve("real-recording").resolve(name);
        deleteTree(dir);
        return Files.createDirectories(dir);
    }

    /** This JVM's launcher for its own feature version; JDK 25 from the build's {@code inlay.jdk25} property. */
    private static String javaExecutable(int feature) {
        String home = feature == Runtime.version().feature()
                ? System.getProperty("java.home")
                : feature == 25 ? System.getProperty("inlay.jdk25") : null;
        Path java = home == null || home.isBlank() ? null : Path.of(home, "bin", "java");
        if (java == null || !Files.isExecutable(java)) {
            String what = "missing tool: JDK " + feature + " (" + (java == null ? "set -Dinlay.jdk25" : java) + ")";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(what);
            org.junit.jupiter.api.Assumptions.abort(what);
        }
        return java.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
