package dev.inlay.instrumenter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #19, the proof matrix: a policy learned in one place is enforced in another and never breaks the application.
 * Each application learns (agent {@code mode=learn}) on the host's JDK 17 and, the reverse direction, in a container or
 * on JDK 25; the real {@code inlay profile merge} and {@code inlay policy generate --mode enforce} make the
 * policy; each enforcing cell must start, serve the application's benign traffic with ZERO denials, and still block
 * one attack with a denial event naming it.
 *
 * <p>Where a cell runs: the host's JDKs (Debian OpenJDK 17 at /usr/lib/jvm/java-17-openjdk-amd64, whose conf files
 * link into /etc/java-17-openjdk; Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64), or a podman container of the
 * fixture images (scripts/fixtures.sh): {@code jre17} (Debian's JRE 17) and {@code jre25} (a jlink'd Temurin 25 at
 * /opt/java/openjdk), the latter two also with cgroup limits ({@code --memory 512m --cpus 1}, checked from the JVM's
 * own report of its limits). The application keeps its layout in every cell (the same directory, mounted at the same
 * path), as a deployment does: what changes is the JDK, its layout, the host and the limits. Containers share the
 * host's network so that the neighbours' addresses (127.0.0.1) are the same everywhere.
 *
 * <p>Applications: the docservice (attack: path traversal to /etc/passwd) and the Spring Boot application of
 * bench/springapp (MVC, JPA, H2) with its H2 console enabled, used by its administrator in the benign traffic (attack:
 * {@code FILE_READ('/etc/passwd')} through the console). The cells run one after another: the machine has 2 cores.
 * The result table is written to {@code cli/target/travel-matrix.md} (docs/POLICY.md shows it); the logs
 * and learned policies stay in a {@code inlay-matrix-*} temporary directory.
 */
class TravelMatrixTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final String JDK17 = "/usr/lib/jvm/java-17-openjdk-amd64";
    static final String LIMITS_MEMORY = "512m";
    static final String LIMITS_CPUS = "1";
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Path base;
    static Path agent;
    static String jdk25;
    static String jre17Image;
    static String jre25Image;
    /** The docservice's neighbour (examples/: classification and instance metadata), on the host's loopback. */
    static Process upstream;

    static int upstreamPort;
    static final List<String> table = new ArrayList<>();

    /** Where a JVM runs: a host JDK, or a fixture image with podman flags. */
    record Place(String label, String javaHome, String image, List<String> podmanFlags) {
        static Place host(String label, String javaHome) {
            return new Place(label, javaHome, null, List.of());
        }

        static Place container(String label, String image, String... flags) {
            return new Place(label, null, image, List.of(flags));
        }

        boolean limited() {
            return podmanFlags.contains("--memory");
        }
    }

    @BeforeAll
    static void fixtures() throws Exception {
        agent = ROOT.resolve("runtime-layer/target/inlay-agent.jar");
        require(Files.isRegularFile(agent), agent + " (mvn package -pl runtime-layer)");
        require(
                Files.isRegularFile(ROOT.resolve("examples/target/docservice.jar")),
                "examples/target/docservice.jar (mvn package)");
        jdk25 = System.getProperty("inlay.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64");
        require(Files.isExecutable(Path.of(jdk25, "bin/java")), "JDK 25 at " + jdk25 + " (-Dinlay.jdk25)");
        require(Files.isExecutable(Path.of(JDK17, "bin/java")), "JDK 17 at " + JDK17);
        require(onPath("podman") && onPath("curl"), "podman and curl");
        jre17Image = fixture("podman-load", "jre17");
        jre25Image = fixture("podman-load", "jre25");
        base = Files.createTempDirectory("inlay-matrix-");
        upstreamPort = freePort();
        ProcessBuilder pb = new ProcessBuilder(
                        System.getProperty("java.home") + "/bin/java",
                        "-cp",
                        ROOT.resolve("examples/target/docservice.jar").toString(),
                        "dev.inlay.examples.upstream.Upstream")
                .redirectErrorStream(true)
                .redirectOutput(Files.createDirectories(base.resolve("logs"))
                        .resolve("upstream.log")
                        .toFile());
        pb.environment().put("API_PORT", String.valueOf(upstreamPort));
        pb.environment().put("METADATA_PORT", String.valueOf(freePort()));
        upstream = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", upstreamPort)) {
                break;
            } catch (IOException notYet) {
                assertTrue(upstream.isAlive() && System.nanoTime() < deadline, "the upstream service did not start");
                Thread.sleep(200);
            }
        }
    }

    @AfterAll
    static void report() throws IOException {
        if (upstream != null) upstream.destroy();
        // the applications' directories (their jars, databases); logs and policies stay in base for a look
        if (base != null) {
            try (Stream<Path> dirs = Files.list(base)) {
                for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith("app-"))
                        .toList()) deleteTree(d);
            }
        }
        if (table.isEmpty()) return;
        Path out = ROOT.resolve("cli/target/travel-matrix.md");
        Files.createDirectories(out.getParent());
        Files.writeString(
                out,
                "| application | learned | enforced | started | benign | denials (start-up, benign) | attack"
                        + " | denials once stopping | JVM saw |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
                        + String.join("\n", table) + "\n");
        System.out.println(Files.readString(out));
    }

    // ---- the matrix

    @Test
    void theDocservicePolicyTravels() throws Exception {
        App app = new Docservice();
        Place host17 = Place.host("host JDK 17 (Debian)", JDK17);
        Place host25 = Place.host("host JDK 25 (Temurin)", jdk25);
        Place jre25 = Place.container("jre25 container (jlink, /opt/java/openjdk)", jre25Image);
        Place jre17Limited = Place.container(
                "jre17 container --memory 512m --cpus 1", jre17Image, "--memory", LIMITS_MEMORY, "--cpus", LIMITS_CPUS);
        Place jre25Limited = Place.container(
                "jre25 container --memory 512m --cpus 1", jre25Image, "--memory", LIMITS_MEMORY, "--cpus", LIMITS_CPUS);
        List<String> failures = new ArrayList<>();
        Path learnedOn17 = learn(app, host17);
        for (Place p : List.of(host25, jre25, jre17Limited)) enforce(app, host17, learnedOn17, p, failures);
        enforce(app, jre25Limited, learn(app, jre25Limited), host17, failures);
        enforce(app, host25, learn(app, host25), host17, failures);
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
    }

    @Test
    void theSpringBootPolicyTravels() throws Exception {
        App app = new SpringApp();
        Place host17 = Place.host("host JDK 17 (Debian)", JDK17);
        Place jre25Limited = Place.container(
                "jre25 container --memory 512m --cpus 1", jre25Image, "--memory", LIMITS_MEMORY, "--cpus", LIMITS_CPUS);
        List<String> failures = new ArrayList<>();
        enforce(app, host17, learn(app, host17), jre25Limited, failures);
        enforce(app, jre25Limited, learn(app, jre25Limited), host17, failures);
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
    }

    /** Learns in {@code where} under benign traffic; the policy the inlay CLI generates from the output. */
    private Path learn(App app, Place where) throws Exception {
        Run run = Run.start(app, where, "mode=learn");
        try {
            run.awaitUp();
            app.benign(run);
        } finally {
            run.stop();
        }
        assertTrue(run.stdout().contains("\"inlay\":\"profile\""), "learned " + run.describe());
        assertEquals("", run.events(), "learn mode blocks nothing: " + run.describe());
        Path dir = Files.createDirectories(base.resolve("policies/" + app.name() + "-" + slug(where.label())));
        Path log = Files.writeString(dir.resolve("learn.log"), run.stdout());
        inlay(
                "profile",
                "merge",
                log.toString(),
                "-o",
                dir.resolve("profile.json").toString());
        Path policy = dir.resolve("policy.yaml");
        inlay(
                "policy",
                "generate",
                dir.resolve("profile.json").toString(),
                "--name",
                app.name(),
                "--mode",
                "enforce",
                "-o",
                policy.toString());
        String yaml = Files.readString(policy);
        for (String line : yaml.split("\n")) {
            assertTrue(
                    line.strip().startsWith("#") || !(line.contains("/usr/lib/jvm") || line.contains("/opt/java")),
                    "the JDK is a root, not a path:\n" + yaml);
        }
        return policy;
    }

    /**
     * One cell: enforces the policy learned in {@code learnedIn} in {@code where}. A failed expectation is collected
     * (with the output) so that every cell runs and the table is complete.
     */
    private void enforce(App app, Place learnedIn, Path policy, Place where, List<String> failures) throws Exception {
        Path inPlace = Files.copy(
                policy,
                Files.createDirectories(base.resolve("enforce"))
                        .resolve(app.name() + "-" + UUID.randomUUID() + ".yaml"));
        Run run = Run.start(app, where, "mode=enforce,policy=" + inPlace);
        String started = "no";
        String benign = "not run";
        String attack = "not run";
        java.time.Instant attackStart = java.time.Instant.MAX;
        java.time.Instant stopStart = java.time.Instant.MAX;
        List<String> problems = new ArrayList<>();
        try {
            run.awaitUp();
            started = run.stdout().contains("\"mode\":\"enforce\"") ? "yes" : "no agent line";
            benign = app.benign(run);
            attackStart = java.time.Instant.now();
            attack = app.attack(run);
        } catch (AssertionError | Exception e) {
            problems.add(e.getMessage());
        } finally {
            stopStart = java.time.Instant.now();
            run.stop();
        }
        // Denials before the attack (start-up, benign traffic) must be none. After it, the attack's own, what follows
        // from it (the application's handling of the denied operation) and what the JVM does once asked to stop
        // (its shutdown hooks race the agent's last profile in learn mode: docs/POLICY.md) are listed apart.
        List<String> events = run.eventLines();
        List<String> others = new ArrayList<>();
        List<String> afterEffects = new ArrayList<>();
        List<String> atShutdown = new ArrayList<>();
        for (String e : events) {
            if (app.isAttackEvent(e)) continue;
            Matcher time = Pattern.compile("\"time\":\"([^\"]+)\"").matcher(e);
            java.time.Instant at = time.find() ? java.time.Instant.parse(time.group(1)) : java.time.Instant.MIN;
            if (!at.isBefore(stopStart)) atShutdown.add(e);
            else if (!at.isBefore(attackStart)) afterEffects.add(e);
            else others.add(e);
        }
        boolean attackDenied = events.stream().anyMatch(e -> app.isAttackEvent(e) && e.contains("\"blocked\":true"));
        String limits = run.limitsSeen();
        if (!started.equals("yes")) problems.add("the enforcing agent did not start");
        if (!others.isEmpty())
            problems.add(
                    others.size() + " denial(s) at start-up or under benign traffic:\n" + String.join("\n", others));
        if (!attackDenied) problems.add("no denial event for the attack");
        if (!attack.startsWith("blocked")) problems.add("the attack was not blocked: " + attack);
        if (where.limited() && !limits.startsWith("1 CPU, 512.00M"))
            problems.add("the JVM did not see its limits: " + limits);
        String javaSeen = run.javaVersion();
        table.add("| " + app.name() + " | " + learnedIn.label() + " | " + where.label() + " (java " + javaSeen + ") | "
                + started + " | " + benign + " | " + others.size() + " | " + attack + (attackDenied ? ", event" : "")
                + (afterEffects.isEmpty()
                        ? ""
                        : " (+" + afterEffects.size() + " after-effect: "
                                + String.join(
                                        "; ",
                                        afterEffects.stream()
                                                .map(TravelMatrixTest::resourceOf)
                                                .toList()) + ")")
                + " | "
                + (atShutdown.isEmpty()
                        ? "0"
                        : atShutdown.size() + ": "
                                + String.join(
                                        "; ",
                                        atShutdown.stream()
                                                .map(TravelMatrixTest::resourceOf)
                                                .toList()))
                + " | " + limits + " |");
        if (!problems.isEmpty()) {
            failures.add(app.name() + ": learned in " + learnedIn.label() + ", enforced in " + where.label() + ": "
                    + String.join("; ", problems) + "\npolicy:\n" + Files.readString(policy) + "\n" + run.describe());
        }
    }

    // ---- the applications

    interface App {
        String name();

        /** The jar, copied into the application's directory. */
        Path jar() throws Exception;

        int port();

        /** The environment of the application (its directory is {@code dir}). */
        List<String> env(Path dir);

        List<String> args(Path dir);

        /** Runs the benign traffic and returns its summary; throws when a request does not get its answer. */
        String benign(Run run) throws Exception;

        /** Runs the attack; "blocked ..." or "SUCCEEDED ...". */
        String attack(Run run) throws Exception;

        boolean isAttackEvent(String event);
    }

    /** examples/: benign traffic is examples/traffic.sh benign; the attack a path traversal to /etc/passwd. */
    static final class Docservice implements App {
        private final int port = freePort();

        @Override
        public String name() {
            return "docservice";
        }

        @Override
        public Path jar() {
            return ROOT.resolve("examples/target/docservice.jar");
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public List<String> env(Path dir) {
            return List.of(
                    "PORT=" + port, "DATA_DIR=" + dir.resolve("data"), "UPSTREAM_URL=http://127.0.0.1:" + upstreamPort);
        }

        @Override
        public List<String> args(Path dir) {
            return List.of();
        }

        @Override
        public String benign(Run run) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(
                            "bash",
                            ROOT.resolve("examples/traffic.sh").toString(),
                            "benign",
                            "http://127.0.0.1:" + port)
                    .redirectErrorStream(true);
            pb.environment().put("UPSTREAM_URL", "http://127.0.0.1:" + upstreamPort);
            pb.environment()
                    .put(
                            "ATTACKER_JAR",
                            ROOT.resolve("examples/target/attacker.jar").toString());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
            long ok = out.lines()
                    .filter(l -> l.startsWith("RESULT benign ") && l.contains(" OK "))
                    .count();
            assertTrue(p.exitValue() == 0 && ok >= 14 && !out.contains(" FAILED "), "benign traffic:\n" + out);
            return ok + "/" + ok + " requests OK";
        }

        @Override
        public String attack(Run run) throws Exception {
            String body =
                    get(port, "/docs?name=" + "../".repeat(24) + "etc/passwd").body();
            return body.contains("root:x:0:0") ? "SUCCEEDED read /etc/passwd" : "blocked path traversal to /etc/passwd";
        }

        @Override
        public boolean isAttackEvent(String event) {
            return event.contains("\"resource\":\"/etc/passwd\"");
        }
    }

    /**
     * bench/springapp: Spring Boot MVC + JPA (Hibernate) + H2, with the H2 console on (a common misconfiguration).
     * Benign: the catalogue's endpoints and an administrator's query in the console. Attack: the console's
     * {@code FILE_READ('/etc/passwd')}.
     */
    static final class SpringApp implements App {
        private final int port = freePort();

        @Override
        public String name() {
            return "springapp";
        }

        @Override
        public Path jar() throws Exception {
            Path project = ROOT.resolve("bench/springapp");
            Path jar = project.resolve("target/springapp.jar");
            if (!Files.isRegularFile(jar)
                    || newer(project.resolve("src"), jar)
                    || newer(project.resolve("pom.xml"), jar)) {
                // A project of its own (Spring Boot's parent), outside the reactor, as bench/run-all.sh builds it.
                Process p = new ProcessBuilder(
                                "mvn",
                                "-q",
                                "-B",
                                "-ntp",
                                "-f",
                                project.resolve("pom.xml").toString(),
                                "package",
                                "-DskipTests")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                require(p.waitFor(600, TimeUnit.SECONDS) && p.exitValue() == 0, "bench/springapp build: " + out);
            }
            return jar;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public List<String> env(Path dir) {
            return List.of("PORT=" + port, "DATA_DIR=" + dir.resolve("data"));
        }

        @Override
        public List<String> args(Path dir) {
            return List.of("--spring.h2.console.enabled=true");
        }

        @Override
        public String benign(Run run) throws Exception {
            // the seeding runner finishes after the server answers
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (get(port, "/products/200").statusCode() != 200) {
                assertTrue(
                        System.nanoTime() < deadline && run.alive(), "the catalogue was not seeded: " + run.describe());
                Thread.sleep(500);
            }
            int requests = 0;
            for (int id : new int[] {1, 7, 200}) {
                HttpResponse<String> r = get(port, "/products/" + id);
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().contains("\"sku\":\"product-" + id + "\""), r.body());
                requests++;
            }
            for (int category : new int[] {0, 3, 9}) {
                HttpResponse<String> r = get(port, "/products?category=" + category);
                assertEquals(200, r.statusCode(), r.body());
                assertTrue(r.body().contains("\"category\":" + category), r.body());
                requests++;
            }
            assertEquals(404, get(port, "/products/999999").statusCode());
            requests++;
            // two sessions of the administrator: the second reads the console settings the first saved
            for (int session = 0; session < 2; session++) {
                String count = console(run, "SELECT COUNT(*) FROM PRODUCT");
                assertTrue(count.contains(">200<"), "the administrator's query in the H2 console: " + count);
                requests += 3;
            }
            return requests + "/" + requests + " requests OK";
        }

        @Override
        public String attack(Run run) throws Exception {
            String page = console(run, "SELECT FILE_READ('/etc/passwd', NULL)");
            return page.contains("root:x:0:0")
                    ? "SUCCEEDED read /etc/passwd"
                    : "blocked H2 console FILE_READ('/etc/passwd')";
        }

        /** Logs in to the H2 console (the application's own database) and runs one statement; the result page. */
        private String console(Run run, String sql) throws Exception {
            String front = get(port, "/h2-console/").body();
            Matcher session = Pattern.compile("jsessionid=([0-9a-f]+)").matcher(front);
            assertTrue(session.find(), "the H2 console: " + front);
            String id = session.group(1);
            String login = post(
                    port,
                    "/h2-console/login.do?jsessionid=" + id,
                    "driver",
                    "org.h2.Driver",
                    "url",
                    "jdbc:h2:file:" + run.dir().resolve("data") + "/catalogue",
                    "user",
                    "sa",
                    "password",
                    "");
            assertTrue(login.contains("query.jsp"), "logged in to the H2 console: " + login);
            return post(port, "/h2-console/query.do?jsessionid=" + id, "sql", sql);
        }

        @Override
        public boolean isAttackEvent(String event) {
            return event.contains("\"resource\":\"/etc/passwd\"");
        }
    }

    // ---- one JVM of a cell

    /** The application started in a place with the agent; its output in files. */
    record Run(App app, Place where, Path dir, Process process, String container, Path out, Path err) {
        static Run start(App app, Place where, String agentArgs) throws Exception {
            // The application's directory, the same path in every cell (and inside the containers): fresh state.
            Path dir = base.resolve("app-" + app.name());
            if (Files.exists(dir)) deleteTree(dir);
            Files.createDirectories(dir.resolve("tmp"));
            Path jar = Files.copy(app.jar(), dir.resolve(app.name() + ".jar"));
            Path logs = Files.createDirectories(base.resolve("logs"));
            Path policies = Files.createDirectories(base.resolve("enforce"));
            String cell = app.name() + "-" + (agentArgs.startsWith("mode=learn") ? "learn" : "enforce") + "-"
                    + slug(where.label()) + "-" + UUID.randomUUID().toString().substring(0, 6);
            Path out = logs.resolve(cell + ".out");
            Path err = logs.resolve(cell + ".err");
            // user.home too: the H2 console keeps its settings there (~/.h2.server.properties)
            List<String> jvm = List.of(
                    "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                    "-Duser.home=" + dir,
                    "-Xlog:gc+init",
                    "-XshowSettings:system",
                    "-jar",
                    jar.toString());
            List<String> cmd = new ArrayList<>();
            String container = null;
            if (where.image() == null) {
                cmd.add(where.javaHome() + "/bin/java");
                cmd.add("-javaagent:" + agent + "=" + agentArgs);
            } else {
                container = "inlay-matrix-" + cell;
                cmd.addAll(List.of(
                        ROOT.resolve("scripts/podman.sh").toString(),
                        "run",
                        "--rm",
                        "--name",
                        container,
                        "--network",
                        "host",
                        "-v",
                        dir + ":" + dir,
                        "-v",
                        policies + ":" + policies + ":ro",
                        "-v",
                        agent + ":/opt/inlay/inlay-agent.jar:ro",
                        "-w",
                        dir.toString()));
                cmd.addAll(where.podmanFlags());
                for (String e : app.env(dir)) cmd.addAll(List.of("-e", e));
                cmd.addAll(List.of(where.image(), "java", "-javaagent:/opt/inlay/inlay-agent.jar=" + agentArgs));
            }
            cmd.addAll(jvm);
            cmd.addAll(app.args(dir));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_") || k.equals("JAVA_TOOL_OPTIONS"));
            for (String e : app.env(dir))
                pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
            Process p =
                    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Run(app, where, dir, p, container, out, err);
        }

        void awaitUp() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (true) {
                try {
                    if (get(app.port(), "/health").statusCode() == 200) return;
                } catch (IOException notYet) {
                    // not listening yet
                }
                assertTrue(alive() && System.nanoTime() < deadline, "did not come up: " + describe());
                Thread.sleep(300);
            }
        }

        boolean alive() {
            return process.isAlive();
        }

        /** Stops the JVM as its platform does (SIGTERM; podman stop): the agent writes its last profile. */
        void stop() throws Exception {
            if (container != null) {
                new ProcessBuilder(ROOT.resolve("scripts/podman.sh").toString(), "stop", "-t", "30", container)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor(60, TimeUnit.SECONDS);
            } else {
                process.destroy();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor();
        }

        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** The agent's event lines (every one is a denial: this is enforce mode, the policy has no alert rules). */
        List<String> eventLines() throws IOException {
            List<String> events = new ArrayList<>();
            for (String line : stdout().split("\n")) if (line.contains("{\"inlay\":\"event\"")) events.add(line);
            return events;
        }

        String events() throws IOException {
            return String.join("\n", eventLines());
        }

        /** What the JVM reported of its limits: "N CPU, memory limit" (-XshowSettings:system). */
        String limitsSeen() throws IOException {
            String s = stderr();
            Matcher heapOnly = Pattern.compile("Heap Max Capacity: (\\S+)").matcher(stdout());
            if (s.contains("System not containerized")) {
                return "not containerized" + (heapOnly.find() ? ", max heap " + heapOnly.group(1) : "");
            }
            Matcher cpus = Pattern.compile("Effective CPU Count: (\\d+)").matcher(s);
            Matcher memory = Pattern.compile("Memory Limit: (\\S+)").matcher(s);
            Matcher heap = Pattern.compile("Heap Max Capacity: (\\S+)").matcher(stdout());
            return (cpus.find() ? cpus.group(1) : "?") + " CPU, " + (memory.find() ? memory.group(1) : "?")
                    + (heap.find() ? ", max heap " + heap.group(1) : "");
        }

        String javaVersion() throws IOException {
            Matcher m = Pattern.compile("\"java\":\"([^\"]+)\"").matcher(stdout());
            return m.find() ? m.group(1) : "?";
        }

        String describe() throws IOException {
            return where.label() + " (" + dir + ")\n--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
        }
    }

    // ---- helpers

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String post(int port, String path, String... form) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < form.length; i += 2) {
            if (body.length() > 0) body.append('&');
            body.append(form[i]).append('=').append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** Runs the inlay command line (the one bin/inlay runs); fails on a non-zero exit. */
    static void inlay(String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.exitCode(), "inlay " + String.join(" ", args) + "\n" + r);
    }

    /** scripts/fixtures.sh ARGS: its last line (the image's tag). */
    static String fixture(String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of(ROOT.resolve("scripts/fixtures.sh").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        require(
                p.waitFor(1800, TimeUnit.SECONDS) && p.exitValue() == 0,
                "fixture " + String.join(" ", args) + ": " + out);
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    static String resourceOf(String event) {
        Matcher m = Pattern.compile("\"message\":\"([^\"]+)\"").matcher(event);
        return m.find() ? m.group(1).replace(base.toString(), "...") : event;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String slug(String label) {
        return label.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "").toLowerCase();
    }

    static boolean newer(Path sources, Path than) throws IOException {
        long built = Files.getLastModifiedTime(than).toMillis();
        try (Stream<Path> files = Files.walk(sources)) {
            return files.anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() > built;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }

    /** A missing tool fails the test in CI (CI=true) and skips it elsewhere. */
    static void require(boolean present, String what) {
        Cli.requireTool(present, what);
    }
}
