package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.inlay.instrumenter.image.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real docker-registry with htpasswd authentication on 127.0.0.1 and a real {@code podman login}: credentials the
 * ways podman, skopeo and Docker users have them (--authfile, --creds, REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR and the
 * /run/containers/UID fallback, DOCKER_CONFIG with a credential helper), and what inlay says when the registry refuses,
 * has no such image, is not there, or fails once. The environment-dependent cases run inlay as a separate JVM with an
 * environment of their own.
 */
class AuthenticatedRegistryTest extends WithTestRegistry {
    private static final String USER = "inlay-ci";
    private static final String PASSWORD = "s3cret:with-colon";

    @BeforeAll
    static void startRegistry() throws Exception {
        Cli.requireTool(Cli.onPath("skopeo"), "skopeo");
        Cli.requireTool(Cli.onPath("podman"), "podman");
        Cli.requireTool(Cli.onPath("htpasswd"), "htpasswd (apache2-utils)");
        // bcrypt, the only hash docker-registry's htpasswd backend accepts
        Processes.ok(
                30,
                "htpasswd",
                "-B",
                "-b",
                "-c",
                registryDir.resolve("htpasswd").toString(),
                USER,
                PASSWORD);
        TestRegistry started = TestRegistry.start(
                registryDir,
                "auth:\n  htpasswd:\n    realm: inlay-test\n    path: " + registryDir.resolve("htpasswd") + "\n",
                false,
                401);
        use(started);
        started.pushBaseImage(USER, PASSWORD);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Path podmanLogin(Map<String, String> env, String... extra) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("podman", "login", "--tls-verify=false", "-u", USER, "--password-stdin"));
        command.addAll(List.of(extra));
        command.add(host);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(PASSWORD.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "podman login failed: " + out);
        return null;
    }

    /** inlay in a JVM of its own, with only PATH, a fresh HOME and {@code env}. */
    private Cli.Result inlay(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.inlay.cli.Inlay"));
        command.addAll(List.of(args));
        return inlayCommand(env, command);
    }

    private Cli.Result inlayCommand(Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        pb.environment().put("HOME", home.toString());
        pb.environment()
                .put(
                        "XDG_RUNTIME_DIR",
                        Files.createDirectories(tmp.resolve("empty-run")).toString());
        pb.environment().putAll(env);
        pb.environment().values().removeIf(String::isEmpty); // "" = unset
        Path out = tmp.resolve("inlay.out");
        Path err = tmp.resolve("inlay.err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("inlay did not finish: " + command);
        }
        return new Cli.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private String image(String repoTag) {
        return host + "/" + repoTag;
    }

    @Test
    void podmanLoginWithAuthfileThenInspectAndWrapWithTheSourceAndTargetOptions() throws Exception {
        Path authFile = tmp.resolve("auth.json");
        podmanLogin(Map.of(), "--authfile", authFile.toString());
        Cli.Result inspect = Cli.run("inspect", image("base/app:1"), "--authfile", authFile.toString());
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("/opt/jdk/bin/java  17.0.12"), inspect.out());

        Cli.Result wrap = Cli.run(
                "wrap",
                image("base/app:1"),
                image("wrapped/app:1"),
                "--mode",
                "learn",
                "-q",
                "--src-authfile",
                authFile.toString(),
                "--dest-authfile",
                authFile.toString());
        assertEquals(0, wrap.exitCode(), wrap.toString());
        JsonNode pushed = Json.MAPPER.readTree(Processes.ok(
                60,
                "skopeo",
                "inspect",
                "--tls-verify=false",
                "--creds",
                USER + ":" + PASSWORD,
                "docker://" + image("wrapped/app:1")));
        assertEquals("true", pushed.path("Labels").path("dev.inlay.wrapped").asText());
        assertEquals(wrap.out().trim(), pushed.path("Digest").asText());

        // --creds, and --dest-creds over a wrong --creds for the target only
        assertEquals(
                0,
                Cli.run("inspect", image("wrapped/app:1"), "-q", "--creds", USER + ":" + PASSWORD)
                        .exitCode());
        Cli.Result unwrap = Cli.run(
                "unwrap",
                image("wrapped/app:1"),
                image("restored/app:1"),
                "-q",
                "--creds",
                USER + ":wrong",
                "--src-creds",
                USER + ":" + PASSWORD,
                "--dest-creds",
                USER + ":" + PASSWORD);
        assertEquals(0, unwrap.exitCode(), unwrap.toString());
    }

    @Test
    void refusedOrMissingCredentialsSayHowToLogIn() throws Exception {
        Cli.Result anonymous = inlay(Map.of(), "inspect", image("base/app:1"));
        assertEquals(4, anonymous.exitCode(), anonymous.toString());
        assertTrue(
                anonymous
                        .err()
                        .startsWith("inlay: unauthorized: " + image("base/app:1")
                                + " (UNAUTHORIZED); log in with 'podman login " + host + "'"),
                anonymous.err());
        assertTrue(
                anonymous
                        .err()
                        .contains("or pass --authfile FILE or --creds USER:PASS (credentials: none found in ["
                                + tmp.resolve("empty-run/containers/auth.json")),
                anonymous.err());
        assertTrue(
                anonymous.err().contains(tmp.resolve("home/.docker/config.json").toString()),
                "HOME from the environment: " + anonymous.err());
        assertFalse(anonymous.err().contains("{"), "no raw JSON body: " + anonymous.err());

        Cli.Result wrong = Cli.run("inspect", image("base/app:1"), "--creds", USER + ":wrong");
        assertEquals(4, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.err().contains("unauthorized: " + image("base/app:1")), wrong.err());
        assertTrue(wrong.err().contains("(the registry refused the credentials from --creds)"), wrong.err());
        Path stale = tmp.resolve("stale-auth.json");
        Files.writeString(
                stale,
                "{\"auths\":{\"" + host + "\":{\"auth\":\""
                        + java.util.Base64.getEncoder().encodeToString((USER + ":old").getBytes(StandardCharsets.UTF_8))
                        + "\"}}}");
        Cli.Result staleLogin = Cli.run("inspect", image("base/app:1"), "--authfile", stale.toString());
        assertEquals(4, staleLogin.exitCode(), staleLogin.toString());
        assertTrue(
                staleLogin.err().contains("(the registry refused the credentials from " + stale + ")"),
                staleLogin.err());

        Cli.Result push = Cli.run(
                "wrap",
                image("base/app:1"),
                image("denied/app:1"),
                "--mode",
                "learn",
                "-q",
                "--src-creds",
                USER + ":" + PASSWORD);
        assertEquals(4, push.exitCode(), push.toString());
        assertTrue(push.err().contains("unauthorized: " + image("denied/app:1")), push.err());
    }

    @Test
    void registryAuthFileEnvironmentVariable() throws Exception {
        Path authFile = tmp.resolve("env-auth.json");
        podmanLogin(Map.of(), "--authfile", authFile.toString());
        Cli.Result r = inlay(Map.of("REGISTRY_AUTH_FILE", authFile.toString()), "inspect", "-q", image("base/app:1"));
        assertEquals(0, r.exitCode(), r.toString());
    }

    @Test
    void podmanLoginsDefaultFileUnderXdgRuntimeDir() throws Exception {
        Path runtime = Files.createDirectories(tmp.resolve("xdg-run"));
        podmanLogin(Map.of("XDG_RUNTIME_DIR", runtime.toString()));
        assertTrue(Files.isRegularFile(runtime.resolve("containers/auth.json")), "podman login wrote elsewhere");
        Cli.Result r = inlay(Map.of("XDG_RUNTIME_DIR", runtime.toString()), "inspect", "-q", image("base/app:1"));
        assertEquals(0, r.exitCode(), r.toString());
    }

    @Test
    void podmanLoginsDefaultFileWithoutXdgRuntimeDirIsUnderRunContainers() throws Exception {
        Cli.requireTool(Cli.onPath("unshare"), "unshare");
        Cli.requireTool("0".equals(Processes.ok(10, "id", "-u").trim()), "root (podman's /run/containers/0)");
        // A mount namespace of its own with an empty /run/containers: the real path, without touching the machine's.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script =
                "set -e; mount -t tmpfs tmpfs /run/containers; printf %s \"$PASSWORD\" | podman login --tls-verify=false -u \"$USER_NAME\""
                        + " --password-stdin \"$HOST\" >&2; test -f /run/containers/0/auth.json;"
                        + " exec \"$JAVA\" -cp \"$CP\" dev.inlay.cli.Inlay inspect -q \"$IMAGE\"";
        Map<String, String> env = new HashMap<>(Map.of(
                "XDG_RUNTIME_DIR",
                "",
                "PASSWORD",
                PASSWORD,
                "USER_NAME",
                USER,
                "HOST",
                host,
                "JAVA",
                java,
                "CP",
                System.getProperty("java.class.path"),
                "IMAGE",
                image("base/app:1")));
        Cli.Result r = inlayCommand(env, List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script));
        assertEquals(0, r.exitCode(), r.toString());
    }

    @Test
    void dockerConfigWithACredentialHelper() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path helper = bin.resolve("docker-credential-inlaytest");
        Files.writeString(
                helper,
                "#!/bin/sh\n[ \"$1\" = get ] || exit 1\nread server\n" + "printf '{\"ServerURL\":\"%s\",\"Username\":\""
                        + USER + "\",\"Secret\":\"" + PASSWORD + "\"}' \"$server\"\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dockerConfig = Files.createDirectories(tmp.resolve("docker-config"));
        Files.writeString(dockerConfig.resolve("config.json"), "{\"credHelpers\":{\"" + host + "\":\"inlaytest\"}}");
        Cli.Result r = inlay(
                Map.of("DOCKER_CONFIG", dockerConfig.toString(), "PATH", bin + ":" + System.getenv("PATH")),
                "inspect",
                "-q",
                image("base/app:1"));
        assertEquals(0, r.exitCode(), r.toString());
    }

    @Test
    void notFoundSaysWhatIsMissing() {
        // docker-registry 2.8 says MANIFEST_UNKNOWN for a repository it does not know too
        Cli.Result noRepo = Cli.run("inspect", image("no/such:1"), "--creds", USER + ":" + PASSWORD);
        assertEquals(4, noRepo.exitCode(), noRepo.toString());
        assertEquals(
                "inlay: image not found: " + image("no/such:1") + " (MANIFEST_UNKNOWN)",
                noRepo.err().trim());
        Cli.Result noTag = Cli.run("inspect", image("base/app:nope"), "--creds", USER + ":" + PASSWORD);
        assertEquals(4, noTag.exitCode(), noTag.toString());
        assertEquals(
                "inlay: image not found: " + image("base/app:nope") + " (MANIFEST_UNKNOWN)",
                noTag.err().trim());
    }

    @Test
    void unknownHostAndRefusedConnectionFailAtOnceWithoutRetrying() throws Exception {
        Cli.Result unknown = Cli.run("inspect", "nosuchhost.invalid/app:1");
        assertEquals(4, unknown.exitCode(), unknown.toString());
        assertEquals("inlay: nosuchhost.invalid: unknown host", unknown.err().trim());
        String refusedHost = "127.0.0.1:" + freePort();
        Cli.Result refused = Cli.run("inspect", refusedHost + "/app:1");
        assertEquals(4, refused.exitCode(), refused.toString());
        assertEquals(
                "inlay: " + refusedHost + ": connection refused (no registry listens there)",
                refused.err().trim());
    }

    @Test
    void aRegistryThatFailsOnceIsRetriedAndSaysSo() throws Exception {
        // A proxy in front of the real registry that answers the first manifest GET with 503, as a busy registry does.
        // It speaks TLS with a self-signed certificate (made by keytool here): HTTPS first, as inlay tries, and
        // unverified TLS as it allows for this machine.
        Path keystore = tmp.resolve("proxy.p12");
        Processes.ok(
                60,
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "inlay-test",
                "-alias",
                "proxy",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "inlay-test".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "inlay-test".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        AtomicInteger failures = new AtomicInteger();
        HttpClient upstream = HttpClient.newHttpClient();
        HttpsServer proxy = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.setHttpsConfigurator(new HttpsConfigurator(tls));
        Set<String> restricted = Set.of("host", "connection", "content-length", "expect", "upgrade");
        proxy.createContext("/", exchange -> {
            try (exchange) {
                if (exchange.getRequestURI().getPath().contains("/manifests/") && failures.getAndIncrement() == 0) {
                    byte[] body = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"busy\"}]}"
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(503, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                HttpRequest.Builder forward = HttpRequest.newBuilder(
                                URI.create("http://" + host + exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!restricted.contains(name.toLowerCase())) values.forEach(v -> forward.header(name, v));
                });
                HttpResponse<InputStream> response =
                        upstream.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
                response.headers().map().forEach((name, values) -> {
                    if (!restricted.contains(name.toLowerCase()) && !name.equals(":status"))
                        exchange.getResponseHeaders().put(name, values);
                });
                byte[] body = response.body().readAllBytes();
                boolean head = exchange.getRequestMethod().equals("HEAD");
                exchange.sendResponseHeaders(response.statusCode(), head || body.length == 0 ? -1 : body.length);
                if (!head) exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        proxy.start();
        try {
            String viaProxy = "127.0.0.1:" + proxy.getAddress().getPort() + "/base/app:1";
            Cli.Result r = Cli.run("inspect", viaProxy, "--creds", USER + ":" + PASSWORD);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(
                    r.err().contains("failed (ResponseException: 503")
                            && r.err().contains("retrying in 1 s (attempt 2 of 3)"),
                    r.err());
            assertEquals(2, failures.get(), "one failed and one retried manifest GET");
        } finally {
            proxy.stop(0);
        }
    }
}
