package dev.inlay.instrumenter.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlay.cli.Inlay;
import dev.inlay.cli.deploy.AdmissionCommand;
import dev.inlay.instrumenter.Cli;
import dev.inlay.instrumenter.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code inlay admission serve} over real TLS (a CA and a server certificate made by openssl here; the client trusts
 * only that CA), answering AdmissionReview v1 documents shaped as the API server sends them, about images in the real
 * local registry (scripts/fixtures.sh): one wrapped by {@code inlay wrap} in enforce mode, one in learn mode, and the
 * original (unwrapped by {@code inlay unwrap}).
 */
class AdmissionWebhookTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getenv().getOrDefault("INLAY_TEST_ROOT", ".."))
            .toAbsolutePath()
            .normalize();

    @TempDir
    static Path dir;

    static String repository;
    static String enforced;
    /** Wrapped with --agent-flag javaagent: its agent is in JAVA_TOOL_OPTIONS (enforced's in JDK_JAVA_OPTIONS). */
    static String enforcedJavaagent;

    static String learning;
    static String plain;
    static String enforceTag;
    static HttpClient client;
    static javax.net.ssl.TrustManager[] trustOnlyTheCa;
    static final List<AdmissionServer> servers = new ArrayList<>();

    @BeforeAll
    static void imagesAndCertificates() throws Exception {
        Cli.requireTool(Cli.onPath("openssl"), "openssl");
        String registry = fixture("registry");
        repository = registry + "/inlay-test/admission-"
                + UUID.randomUUID().toString().substring(0, 8);
        List<byte[]> layers = List.of(
                TestImages.jvmLayer("/opt/jdk", "17.0.12"),
                new TestImages.LayerBuilder().file("app/app.jar", "app", 0644).build());
        Path layout = dir.resolve("layout");
        // JAVA_VERSION: wrapped --no-baseline, the config says the launcher reads JDK_JAVA_OPTIONS (an agentlib image).
        TestImages.ociLayout(
                layout,
                "v1",
                layers,
                TestImages.config("amd64", layers, c -> TestImages.env(c).add("JAVA_VERSION=17.0.12")));
        enforceTag = repository + ":enforce";
        enforced = repository + "@"
                + cli(
                        "wrap",
                        "oci:" + layout + ":v1",
                        enforceTag,
                        "--mode",
                        "enforce",
                        "--policy",
                        Cli.policyFile(dir),
                        "--no-baseline",
                        "-q");
        enforcedJavaagent = repository + "@"
                + cli(
                        "wrap",
                        "oci:" + layout + ":v1",
                        repository + ":enforce-javaagent",
                        "--mode",
                        "enforce",
                        "--policy",
                        Cli.policyFile(dir),
                        "--no-baseline",
                        "--agent-flag",
                        "javaagent",
                        "-q");
        learning = repository + "@"
                + cli("wrap", "oci:" + layout + ":v1", repository + ":learn", "--mode", "learn", "--no-baseline", "-q");
        plain = repository + "@" + cli("unwrap", repository + ":learn", repository + ":plain", "-q");

        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=inlay test CA");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "server.key");
        openssl("req", "-new", "-key", "server.key", "-out", "server.csr", "-subj", "/CN=inlay-admission");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:inlay-admission.inlay-system.svc\n");
        openssl(
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.pem",
                "-days",
                "2",
                "-extfile",
                "san.ext");
        assertTrue(Files.readString(dir.resolve("server.key")).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8 key");

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        trustOnlyTheCa = tmf.getTrustManagers();
        client = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void stopServers() {
        servers.forEach(AdmissionServer::close);
    }

    static String fixture(String name) throws Exception {
        Path script = ROOT.resolve("scripts/fixtures.sh");
        Cli.requireTool(Files.isExecutable(script), "scripts/fixtures.sh");
        Process p = new ProcessBuilder(script.toString(), name)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1800, TimeUnit.SECONDS));
        Cli.requireTool(p.exitValue() == 0, "fixture " + name + ": " + out);
        String[] lines = out.trim().split("\n");
        return lines[lines.length - 1].trim();
    }

    static String cli(String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        return r.out().trim();
    }

    static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
    }

    /** Starts {@code inlay admission serve} in-process, as the command line configures it, on a free port. */
    static AdmissionServer serve(String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("admission", "serve", "--listen", "127.0.0.1:0"));
        if (!List.of(options).contains("--cert")) {
            args.addAll(List.of(
                    "--cert",
                    dir.resolve("server.pem").toString(),
                    "--key",
                    dir.resolve("server.key").toString()));
        }
        args.addAll(List.of(options));
        CommandLine cli = Inlay.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(new String[0]));
        AdmissionCommand.Serve serve = (AdmissionCommand.Serve)
                parsed.subcommand().subcommand().commandSpec().userObject();
        AdmissionServer server = serve.start();
        servers.add(server);
        return server;
    }

    static HttpResponse<String> post(AdmissionServer server, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/validate"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The response of a review that the webhook could answer: HTTP 200, the same uid, AdmissionReview v1. */
    static JsonNode answer(AdmissionServer server, ObjectNode review) throws Exception {
        HttpResponse<String> r = post(server, JSON.writeValueAsString(review));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("admission.k8s.io/v1", body.path("apiVersion").asText());
        assertEquals("AdmissionReview", body.path("kind").asText());
        assertEquals(
                review.path("request").path("uid").asText(),
                body.path("response").path("uid").asText(),
                r.body());
        return body.path("response");
    }

    // ---- AdmissionReview documents as the API server writes them

    /** Whether a pod whose container sets {@code variable} to {@code value} is admitted. */
    private static boolean admits(AdmissionServer server, String image, String variable, String value)
            throws Exception {
        ObjectNode c = container("orders", image);
        c.putArray("env").addObject().put("name", variable).put("value", value);
        return answer(server, podReview(pod("orders", podSpec(null, c))))
                .path("allowed")
                .asBoolean();
    }

    static ObjectNode container(String name, String image) {
        ObjectNode c = JSON.createObjectNode();
        c.put("name", name);
        c.put("image", image);
        c.put("imagePullPolicy", "IfNotPresent");
        c.putObject("resources");
        c.put("terminationMessagePath", "/dev/termination-log");
        return c;
    }

    static ObjectNode podSpec(Consumer<ObjectNode> edit, ObjectNode... containers) {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode list = spec.putArray("containers");
        for (ObjectNode c : containers) list.add(c);
        spec.put("restartPolicy", "Always");
        spec.put("dnsPolicy", "ClusterFirst");
        spec.put("serviceAccountName", "default");
        if (edit != null) edit.accept(spec);
        return spec;
    }

    static ObjectNode pod(String name, ObjectNode spec) {
        ObjectNode pod = JSON.createObjectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        pod.putObject("metadata")
                .put("name", name)
                .put("namespace", "shop")
                .putObject("labels")
                .put("app", name);
        pod.set("spec", spec);
        pod.putObject("status");
        return pod;
    }

    static ObjectNode deployment(String name, ObjectNode spec) {
        ObjectNode d = JSON.createObjectNode();
        d.put("apiVersion", "apps/v1");
        d.put("kind", "Deployment");
        d.putObject("metadata").put("name", name).put("namespace", "shop");
        ObjectNode s = d.putObject("spec");
        s.put("replicas", 2);
        s.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = s.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.set("spec", spec);
        d.putObject("status");
        return d;
    }

    static ObjectNode review(
            String group,
            String kind,
            String resource,
            String operation,
            String namespace,
            ObjectNode object,
            ObjectNode oldObject) {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        ObjectNode r = review.putObject("request");
        r.put("uid", UUID.randomUUID().toString());
        r.putObject("kind").put("group", group).put("version", "v1").put("kind", kind);
        r.putObject("resource").put("group", group).put("version", "v1").put("resource", resource);
        r.putObject("requestKind").put("group", group).put("version", "v1").put("kind", kind);
        r.putObject("requestResource").put("group", group).put("version", "v1").put("resource", resource);
        r.put("name", object.path("metadata").path("name").asText());
        r.put("namespace", namespace);
        r.put("operation", operation);
        ObjectNode user = r.putObject("userInfo");
        user.put("username", "kubernetes-admin");
        user.putArray("groups").add("system:masters").add("system:authenticated");
        ((ObjectNode) object.path("metadata")).put("namespace", namespace);
        r.set("object", object);
        if (oldObject == null) r.putNull("oldObject");
        else r.set("oldObject", oldObject);
        r.put("dryRun", false);
        r.putObject("options")
                .put("apiVersion", "meta.k8s.io/v1")
                .put("kind", operation.equals("CREATE") ? "CreateOptions" : "UpdateOptions")
                .put("fieldManager", "kubectl-client-side-apply");
        return review;
    }

    static ObjectNode podReview(ObjectNode pod) {
        return review("", "Pod", "pods", "CREATE", "shop", pod, null);
    }

    // ---- the tests

    /**
     * The test image's launch is `java -jar`, so wrap loaded its agent with -agentlib:instrument=: a pod that launches
     * it with modules instead would crash-loop (the JVM refuses to start), and is refused with the remedy.
     */
    @Test
    void aModuleLaunchOfAnImageLoadingTheAgentWithAgentlibIsRefused() throws Exception {
        AdmissionServer server = serve();
        ObjectNode modular = container("orders", enforced);
        modular.putArray("command").add("java");
        modular.putArray("args").add("--module-path=/app/mods").add("-m").add("app/app.Main");
        JsonNode refused = answer(server, podReview(pod("orders", podSpec(null, modular))));
        assertFalse(refused.path("allowed").asBoolean(), refused.toString());
        String message = refused.path("status").path("message").asText();
        assertTrue(
                message.contains("the command or args launch with modules (--module-path, -m) but the image loads the"
                                + " agent with -agentlib:instrument=")
                        && message.contains("--agent-flag javaagent"),
                message);

        ObjectNode classPath = container("orders", enforced);
        classPath.putArray("args").add("-jar").add("/app/app.jar").add("-p").add("8080");
        assertTrue(
                answer(server, podReview(pod("orders", podSpec(null, classPath))))
                        .path("allowed")
                        .asBoolean(),
                "the application's own -p after the jar is not the JVM's");
        assertFalse(
                admits(server, enforced, "JAVA_TOOL_OPTIONS", "--limit-modules=java.base"),
                "a limited module set through the environment");
        assertTrue(admits(server, enforcedJavaagent, "JDK_JAVA_OPTIONS", "--limit-modules=java.base,java.instrument"));
    }

    @Test
    void aPodRunningAnImageWrappedInEnforceModeAndPinnedByDigestIsAllowed() throws Exception {
        AdmissionServer server = serve();
        JsonNode response = answer(server, podReview(pod("orders", podSpec(null, container("orders", enforced)))));
        assertTrue(response.path("allowed").asBoolean(), response.toString());
        assertFalse(response.has("status"), response.toString());
    }

    @Test
    void everyFailingImageOfContainersInitAndEphemeralContainersIsNamedWithEveryReason() throws Exception {
        AdmissionServer server = serve();
        ObjectNode spec = podSpec(
                s -> {
                    s.putArray("initContainers").add(container("migrate", learning));
                    s.putArray("ephemeralContainers").add(container("debugger", plain));
                },
                container("orders", enforced),
                container("tagged", enforceTag));
        JsonNode response = answer(server, podReview(pod("orders", spec)));
        assertFalse(response.path("allowed").asBoolean(), response.toString());
        assertEquals(403, response.path("status").path("code").asInt(), response.toString());
        String message = response.path("status").path("message").asText();
        assertTrue(message.startsWith("inlay admission denied Pod shop/orders (CREATE): "), message);
        assertTrue(message.contains("image " + enforceTag + " (container tagged): not pinned by digest"), message);
        assertTrue(
                message.contains(
                        "image " + learning + " (init container migrate): wrapped in mode 'learn', enforce required"),
                message);
        assertTrue(
                message.contains("image " + plain + " (ephemeral container debugger): not wrapped by inlay"), message);
        assertFalse(message.contains("(container orders)"), "the approved image is not listed: " + message);
    }

    @Test
    void aDeploymentsPodTemplateIsCheckedAndACronJobsToo() throws Exception {
        AdmissionServer server = serve();
        JsonNode denied = answer(
                server,
                review(
                        "apps",
                        "Deployment",
                        "deployments",
                        "CREATE",
                        "shop",
                        deployment("orders", podSpec(null, container("orders", plain))),
                        null));
        assertFalse(denied.path("allowed").asBoolean(), denied.toString());
        String message = denied.path("status").path("message").asText();
        assertTrue(
                message.contains("Deployment shop/orders (CREATE)")
                        && message.contains("image " + plain
                                + " (container orders): not wrapped by inlay (no dev.inlay.wrapped=true label)"),
                message);

        JsonNode allowed = answer(
                server,
                review(
                        "apps",
                        "Deployment",
                        "deployments",
                        "CREATE",
                        "shop",
                        deployment("orders", podSpec(null, container("orders", enforced))),
                        null));
        assertTrue(allowed.path("allowed").asBoolean(), allowed.toString());

        ObjectNode cron = JSON.createObjectNode();
        cron.put("apiVersion", "batch/v1");
        cron.put("kind", "CronJob");
        cron.putObject("metadata").put("name", "nightly");
        ObjectNode jobSpec = cron.putObject("spec")
                .put("schedule", "0 3 * * *")
                .putObject("jobTemplate")
                .putObject("spec");
        jobSpec.putObject("template")
                .set("spec", podSpec(s -> s.put("restartPolicy", "OnFailure"), container("report", learning)));
        JsonNode cronAnswer = answer(server, review("batch", "CronJob", "cronjobs", "CREATE", "shop", cron, null));
        assertFalse(cronAnswer.path("allowed").asBoolean(), cronAnswer.toString());
        assertTrue(
                cronAnswer.path("status").path("message").asText().contains("wrapped in mode 'learn'"),
                cronAnswer.toString());
    }

    @Test
    void aMalformedReviewGetsA400AndNeverAnAllow() throws Exception {
        AdmissionServer server = serve();
        ObjectNode v1beta1 = podReview(pod("orders", podSpec(null, container("orders", plain))));
        v1beta1.put("apiVersion", "admission.k8s.io/v1beta1");
        ObjectNode noUid = podReview(pod("orders", podSpec(null, container("orders", plain))));
        ((ObjectNode) noUid.path("request")).remove("uid");
        ObjectNode noObject = podReview(pod("orders", podSpec(null, container("orders", plain))));
        ((ObjectNode) noObject.path("request")).remove("object");
        for (String[] bad : new String[][] {
            {"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":", "not JSON"},
            {"[1,2]", "not a JSON object"},
            {JSON.writeValueAsString(v1beta1), "speaks admission.k8s.io/v1 only"},
            {JSON.writeValueAsString(noUid), "request.uid is missing"},
            {JSON.writeValueAsString(noObject), "request.object is missing"},
        }) {
            HttpResponse<String> r = post(server, bad[0]);
            assertEquals(400, r.statusCode(), bad[0] + " -> " + r.body());
            assertTrue(r.body().startsWith("bad AdmissionReview: ") && r.body().contains(bad[1]), r.body());
            assertFalse(r.body().contains("\"allowed\""), r.body());
        }
        HttpResponse<String> get = client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/validate"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        HttpResponse<String> health = client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        // A kind the webhook was not configured for is refused by name, not let through unchecked.
        ObjectNode service = JSON.createObjectNode();
        service.put("apiVersion", "v1");
        service.put("kind", "Service");
        service.putObject("metadata").put("name", "orders");
        JsonNode unknownKind = answer(server, review("", "Service", "services", "CREATE", "shop", service, null));
        assertFalse(unknownKind.path("allowed").asBoolean(), unknownKind.toString());
        assertTrue(
                unknownKind
                        .path("status")
                        .path("message")
                        .asText()
                        .contains("Service is not a kind this webhook reviews"),
                unknownKind.toString());
        // A pod spec of a shape the API server would reject is refused with the reason, as an answer.
        ObjectNode broken = podSpec(null, container("orders", enforced));
        broken.put("initContainers", 5);
        JsonNode response = answer(server, podReview(pod("orders", broken)));
        assertFalse(response.path("allowed").asBoolean());
        assertTrue(
                response.path("status").path("message").asText().contains("initContainers is not a list"),
                response.toString());
    }

    @Test
    void aClientThatDoesNotTrustTheCaCannotTalkToIt() throws Exception {
        AdmissionServer server = serve();
        HttpClient untrusting =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThrows(
                SSLHandshakeException.class,
                () -> untrusting.send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void theContainersEnvironmentCannotTurnTheAgentOffOrDownAndExemptNamespacesPass() throws Exception {
        AdmissionServer server = serve();
        ObjectNode learnByEnv = container("orders", enforced);
        learnByEnv.putArray("env").addObject().put("name", "INLAY_MODE").put("value", "learn");
        ObjectNode noAgent = container("api", enforced);
        noAgent.putArray("env").addObject().put("name", "JDK_JAVA_OPTIONS").put("value", "-Xmx512m");
        ObjectNode fromSecret = container("batch", enforced);
        fromSecret
                .putArray("env")
                .addObject()
                .put("name", "INLAY_MODE")
                .putObject("valueFrom")
                .putObject("configMapKeyRef")
                .put("name", "modes")
                .put("key", "mode");
        JsonNode response = answer(server, podReview(pod("orders", podSpec(null, learnByEnv, noAgent, fromSecret))));
        assertFalse(response.path("allowed").asBoolean(), response.toString());
        String message = response.path("status").path("message").asText();
        assertTrue(
                message.contains(
                        "(container orders): runs in mode 'learn' (INLAY_MODE in the pod spec), enforce required"),
                message);
        assertTrue(
                message.contains(
                        "(container api): JDK_JAVA_OPTIONS in the pod spec replaces the image's and does not load the agent"),
                message);
        assertTrue(
                message.contains("(container batch): INLAY_MODE comes from valueFrom and cannot be checked"), message);

        // Only the variable that carries the image's agent matters (its label: JDK_JAVA_OPTIONS for agentlib).
        String jdk = "JDK_JAVA_OPTIONS";
        String tool = "JAVA_TOOL_OPTIONS";
        assertTrue(admits(server, enforced, jdk, "-Xmx512m -javaagent:/opt/inlay/inlay-agent.jar"));
        assertTrue(admits(server, enforced, jdk, "-agentlib:instrument=/opt/inlay/inlay-agent.jar -Xmx512m"));
        assertFalse(
                admits(server, enforced, jdk, "-agentlib:instrument=/opt/inlay/inlay-agent.jar.off"),
                "another jar whose name starts like the agent's does not load it");
        assertTrue(admits(server, enforced, tool, "-Xmx512m"), "JAVA_TOOL_OPTIONS does not carry this image's agent");
        assertFalse(admits(server, enforcedJavaagent, tool, "-Xmx512m"), "it carries this one's");
        assertTrue(admits(server, enforcedJavaagent, tool, "-javaagent:/opt/inlay/inlay-agent.jar -Xmx512m"));
        assertTrue(admits(server, enforcedJavaagent, jdk, "-Xmx512m"));

        JsonNode exempt = answer(
                server,
                review(
                        "",
                        "Pod",
                        "pods",
                        "CREATE",
                        "kube-system",
                        pod("coredns", podSpec(null, container("coredns", plain))),
                        null));
        assertTrue(exempt.path("allowed").asBoolean(), exempt.toString());
    }

    @Test
    void anUpdateChecksOnlyContainersItAddsOrChanges() throws Exception {
        AdmissionServer server = serve();
        ObjectNode old = deployment("orders", podSpec(null, container("orders", plain)));
        ObjectNode scaled = old.deepCopy();
        ((ObjectNode) scaled.path("spec")).put("replicas", 5);
        JsonNode unchanged = answer(server, review("apps", "Deployment", "deployments", "UPDATE", "shop", scaled, old));
        assertTrue(unchanged.path("allowed").asBoolean(), "scaling a Deployment admitted before: " + unchanged);

        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.path("spec")
                        .path("template")
                        .path("spec")
                        .path("containers")
                        .get(0))
                .put("image", learning);
        JsonNode response = answer(server, review("apps", "Deployment", "deployments", "UPDATE", "shop", changed, old));
        assertFalse(response.path("allowed").asBoolean(), response.toString());
        assertTrue(
                response.path("status").path("message").asText().contains("wrapped in mode 'learn'"),
                response.toString());
    }

    @Test
    void whichChecksApplyAndWhichRegistriesAreAllowedAreConfigurable() throws Exception {
        AdmissionServer wrappedOnly = serve("--check", "wrapped");
        JsonNode tagged = answer(
                wrappedOnly,
                podReview(
                        pod("orders", podSpec(null, container("orders", enforceTag), container("learner", learning)))));
        assertTrue(tagged.path("allowed").asBoolean(), "no digest or mode check: " + tagged);

        AdmissionServer modeOnly = serve("--check", "mode");
        JsonNode unwrapped = answer(modeOnly, podReview(pod("orders", podSpec(null, container("orders", plain)))));
        assertFalse(unwrapped.path("allowed").asBoolean(), "an image without the agent has no mode: " + unwrapped);
        assertTrue(
                unwrapped
                        .path("status")
                        .path("message")
                        .asText()
                        .contains("not wrapped by inlay, so not in mode enforce"),
                unwrapped.toString());

        AdmissionServer monitor = serve("--require-mode", "monitor");
        JsonNode learn = answer(monitor, podReview(pod("orders", podSpec(null, container("orders", learning)))));
        assertTrue(
                learn.path("status").path("message").asText().contains("wrapped in mode 'learn', monitor required"),
                learn.toString());
        assertTrue(
                answer(monitor, podReview(pod("orders", podSpec(null, container("orders", enforced)))))
                        .path("allowed")
                        .asBoolean(),
                "enforce is at least monitor");

        AdmissionServer elsewhere = serve("--allowed-registry", "registry.example:5000");
        JsonNode response = answer(elsewhere, podReview(pod("orders", podSpec(null, container("orders", enforced)))));
        assertFalse(response.path("allowed").asBoolean(), response.toString());
        assertTrue(
                response.path("status")
                        .path("message")
                        .asText()
                        .contains("is not allowed (allowed: registry.example:5000)"),
                response.toString());
    }

    @Test
    void withScanVerdictsAnImageNeedsAPassingVerdictForItsDigest() throws Exception {
        Path verdicts = Files.createDirectories(dir.resolve("verdicts-" + UUID.randomUUID()));
        AdmissionServer server = serve("--scan-verdicts", verdicts.toString());
        String digest = enforced.substring(enforced.indexOf('@') + 1);
        ObjectNode review = podReview(pod("orders", podSpec(null, container("orders", enforced))));

        JsonNode none = answer(server, review);
        assertFalse(none.path("allowed").asBoolean(), "no verdict: fail closed: " + none);
        assertTrue(
                none.path("status")
                        .path("message")
                        .asText()
                        .contains("no scan verdict for " + digest + " (not scanned)"),
                none.toString());

        Path file = verdicts.resolve(ScanVerdictDirectory.fileName(digest));
        Files.writeString(
                file,
                "{\"apiVersion\":\"inlay.dev/v1\",\"kind\":\"ScanVerdict\",\"digest\":\"" + digest
                        + "\",\"passed\":false,\"reasons\":[\"CVE-2021-44228 (critical) in"
                        + " pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1, fixed in 2.15.0\"],"
                        + "\"image\":\"" + enforceTag + "\",\"scannedAt\":\"2026-12-06T03:00:00Z\"}");
        JsonNode failed = answer(server, review);
        assertFalse(failed.path("allowed").asBoolean(), failed.toString());
        assertTrue(
                failed.path("status")
                        .path("message")
                        .asText()
                        .contains("scan gate failed: CVE-2021-44228 (critical) in "
                                + "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1, fixed in 2.15.0"),
                failed.toString());

        Files.writeString(
                file,
                "{\"apiVersion\":\"inlay.dev/v1\",\"kind\":\"ScanVerdict\",\"digest\":\"" + digest
                        + "\",\"passed\":true,\"reasons\":[]}");
        JsonNode passed = answer(server, review);
        assertTrue(passed.path("allowed").asBoolean(), passed.toString());

        // A verdict copied to another digest's file, or one that does not parse, is a failure, never a pass.
        Files.writeString(
                file,
                "{\"apiVersion\":\"inlay.dev/v1\",\"kind\":\"ScanVerdict\",\"digest\":\"sha256:" + "0".repeat(64)
                        + "\",\"passed\":true}");
        JsonNode copied = answer(server, review);
        assertFalse(copied.path("allowed").asBoolean(), copied.toString());
        assertTrue(
                copied.path("status").path("message").asText().contains("is malformed: \"digest\" is"),
                copied.toString());
        Files.writeString(file, "{\"passed\": tru");
        JsonNode broken = answer(server, review);
        assertFalse(broken.path("allowed").asBoolean(), broken.toString());
        assertTrue(broken.path("status").path("message").asText().contains("is malformed"), broken.toString());
    }

    /**
     * A multi-platform image: every platform must be wrapped and in the mode; without a verdict for the index, every
     * platform's manifest needs a passing verdict of its own.
     */
    @Test
    void aMultiPlatformImageIsCheckedPlatformByPlatform() throws Exception {
        List<byte[]> layers = List.of(TestImages.jvmLayer("/opt/jdk", "21.0.4"));
        Path layout = dir.resolve("index-layout");
        TestImages.ociIndexLayout(layout, "v1", List.of("amd64", "arm64"), layers);
        Cli.Result wrap = Cli.run(
                "wrap",
                "oci:" + layout + ":v1",
                repository + ":multi",
                "--mode",
                "enforce",
                "--policy",
                Cli.policyFile(dir),
                "--no-baseline",
                "-q",
                "--json");
        assertEquals(0, wrap.exitCode(), wrap.toString());
        JsonNode wrapped = JSON.readTree(wrap.out());
        String image = repository + "@" + wrapped.path("digest").asText();
        assertEquals(2, wrapped.path("platforms").size(), wrap.out());
        ObjectNode review = podReview(pod("orders", podSpec(null, container("orders", image))));
        assertTrue(answer(serve(), review).path("allowed").asBoolean(), "both platforms wrapped in enforce mode");

        Path verdicts = Files.createDirectories(dir.resolve("verdicts-" + UUID.randomUUID()));
        AdmissionServer scanning = serve("--scan-verdicts", verdicts.toString());
        String amd64 = null;
        String arm64 = null;
        for (JsonNode p : wrapped.path("platforms")) {
            if (p.path("platform").asText().equals("linux/amd64"))
                amd64 = p.path("manifestDigest").asText();
            if (p.path("platform").asText().equals("linux/arm64"))
                arm64 = p.path("manifestDigest").asText();
        }
        Files.writeString(
                verdicts.resolve(ScanVerdictDirectory.fileName(amd64)),
                "{\"apiVersion\":\"inlay.dev/v1\"," + "\"kind\":\"ScanVerdict\",\"digest\":\"" + amd64
                        + "\",\"passed\":true}");
        JsonNode oneMissing = answer(scanning, review);
        assertFalse(oneMissing.path("allowed").asBoolean(), oneMissing.toString());
        assertTrue(
                oneMissing
                        .path("status")
                        .path("message")
                        .asText()
                        .contains("nor for its platform linux/arm64 (" + arm64 + ")"),
                oneMissing.toString());
        Files.writeString(
                verdicts.resolve(ScanVerdictDirectory.fileName(arm64)),
                "{\"apiVersion\":\"inlay.dev/v1\"," + "\"kind\":\"ScanVerdict\",\"digest\":\"" + arm64
                        + "\",\"passed\":true}");
        assertTrue(answer(scanning, review).path("allowed").asBoolean(), "a passing verdict for every platform");
    }

    @Test
    void aRegistryThatCannotBeReadDeniesByDefaultAndAllowsWithAWarningOnlyWhenAsked() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String unreachable =
                "127.0.0.1:" + closedPort + "/shop/orders@" + enforced.substring(enforced.indexOf('@') + 1);
        ObjectNode review = podReview(pod("orders", podSpec(null, container("orders", unreachable))));
        JsonNode denied = answer(serve(), review);
        assertFalse(denied.path("allowed").asBoolean(), denied.toString());
        assertTrue(
                denied.path("status").path("message").asText().contains("(container orders): registry not readable: "),
                denied.toString());

        AdmissionServer failOpen = serve("--on-registry-error", "allow");
        JsonNode allowed = answer(failOpen, review);
        assertTrue(allowed.path("allowed").asBoolean(), allowed.toString());
        assertTrue(
                allowed.path("warnings")
                        .get(0)
                        .asText()
                        .contains("container orders (" + unreachable
                                + ") was not checked against its registry: registry not readable"),
                allowed.toString());

        // What needs no registry still applies when the registry cannot be read.
        ObjectNode learn = container("orders", unreachable);
        learn.putArray("env").addObject().put("name", "INLAY_MODE").put("value", "learn");
        JsonNode stillDenied = answer(failOpen, podReview(pod("orders", podSpec(null, learn))));
        assertFalse(stillDenied.path("allowed").asBoolean(), stillDenied.toString());
        assertTrue(
                stillDenied.path("status").path("message").asText().contains("runs in mode 'learn'"),
                stillDenied.toString());
    }

    @Test
    void aRegistryThatDoesNotAnswerIsGivenUpOnAtTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            // Accepts connections and never says a word (not even the TLS handshake).
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) held.add(silent.accept());
                } catch (IOException closed) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // closing
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String image = "127.0.0.1:" + silent.getLocalPort() + "/shop/orders@"
                    + enforced.substring(enforced.indexOf('@') + 1);
            JsonNode response = answer(
                    serve("--registry-timeout", "1s"),
                    podReview(pod("orders", podSpec(null, container("orders", image)))));
            assertFalse(response.path("allowed").asBoolean(), response.toString());
            assertTrue(
                    response.path("status")
                            .path("message")
                            .asText()
                            .contains("the registry did not answer within 1000 ms"),
                    response.toString());
        }
    }

    /** The certificate files are read again when they change (a renewal), without a restart; a broken pair is not used. */
    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        Path certs = Files.createDirectories(dir.resolve("renewed-" + UUID.randomUUID()));
        Path cert = Files.copy(dir.resolve("server.pem"), certs.resolve("tls.crt"));
        Path key = Files.copy(dir.resolve("server.key"), certs.resolve("tls.key"));
        AdmissionServer server = serve("--cert", cert.toString(), "--key", key.toString());
        java.math.BigInteger before = servedSerial(server);
        assertEquals(serialOf(dir.resolve("server.pem")), before);

        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "renewed.key");
        openssl("req", "-new", "-key", "renewed.key", "-out", "renewed.csr", "-subj", "/CN=inlay-admission renewed");
        openssl(
                "x509",
                "-req",
                "-in",
                "renewed.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "renewed.pem",
                "-days",
                "2",
                "-extfile",
                "san.ext");
        java.nio.file.attribute.FileTime later = java.nio.file.attribute.FileTime.from(
                Files.getLastModifiedTime(cert).toInstant().plusSeconds(60));
        Files.copy(dir.resolve("renewed.key"), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("renewed.pem"), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(key, later);
        Files.setLastModifiedTime(cert, later);
        java.math.BigInteger after = servedSerial(server);
        assertEquals(serialOf(dir.resolve("renewed.pem")), after, "the renewed certificate is served");
        assertFalse(before.equals(after));

        // Half a rotation (a key that is not the certificate's) keeps the last good pair.
        Files.copy(dir.resolve("server.key"), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(
                key, java.nio.file.attribute.FileTime.from(later.toInstant().plusSeconds(60)));
        assertEquals(after, servedSerial(server), "a mismatched pair is not used");
        JsonNode answer = answer(server, podReview(pod("orders", podSpec(null, container("orders", enforced)))));
        assertTrue(answer.path("allowed").asBoolean(), answer.toString());
    }

    /** The serial number of the certificate the server presents on a new connection. */
    private static java.math.BigInteger servedSerial(AdmissionServer server) throws Exception {
        // A new TLS context: no session to resume (a resumed session names the certificate of the first handshake).
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustOnlyTheCa, null);
        HttpClient fresh = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> r = fresh.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return ((java.security.cert.X509Certificate)
                        r.sslSession().orElseThrow().getPeerCertificates()[0])
                .getSerialNumber();
    }

    private static java.math.BigInteger serialOf(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return ((java.security.cert.X509Certificate)
                            CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .getSerialNumber();
        }
    }

    @Test
    void serveRefusesBadOptionsAndKeysWithAClearMessage() throws Exception {
        Cli.Result noVerdicts = Cli.run("admission", "serve", "--cert", "c", "--key", "k", "--check", "scan");
        assertEquals(2, noVerdicts.exitCode(), noVerdicts.toString());
        assertTrue(noVerdicts.err().contains("the scan check needs --scan-verdicts DIR"), noVerdicts.toString());
        Cli.Result badCheck = Cli.run("admission", "serve", "--cert", "c", "--key", "k", "--check", "digest,signed");
        assertEquals(2, badCheck.exitCode());
        assertTrue(badCheck.err().contains("not a check: 'signed'"), badCheck.toString());
        Cli.Result badMode = Cli.run("admission", "serve", "--cert", "c", "--key", "k", "--require-mode", "strict");
        assertEquals(2, badMode.exitCode(), badMode.toString());

        openssl("genrsa", "-traditional", "-out", "pkcs1.key", "2048");
        Cli.Result pkcs1 = Cli.run(
                "admission",
                "serve",
                "--cert",
                dir.resolve("server.pem").toString(),
                "--key",
                dir.resolve("pkcs1.key").toString(),
                "--listen",
                "127.0.0.1:0");
        assertEquals(3, pkcs1.exitCode(), pkcs1.toString());
        assertTrue(pkcs1.err().contains("openssl pkcs8 -topk8 -nocrypt"), pkcs1.toString());
        Cli.Result mismatch = Cli.run(
                "admission",
                "serve",
                "--cert",
                dir.resolve("server.pem").toString(),
                "--key",
                dir.resolve("ca.key").toString(),
                "--listen",
                "127.0.0.1:0");
        assertEquals(3, mismatch.exitCode(), mismatch.toString());
        assertTrue(mismatch.err().contains("is not the private key of the certificate"), mismatch.toString());
    }
}
