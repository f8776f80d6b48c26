package dev.inlay.instrumenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.inlay.instrumenter.image.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real docker-registry with token authentication (the distribution spec's, as Docker Hub, GHCR, ECR and Quay use
 * it): its challenge names a token service, here a small one on 127.0.0.1 that checks the credentials and signs JWTs
 * with a key whose certificate the registry trusts. inlay reads manifests with a token it asks for itself
 * (RegistryAuthorization), and Jib its blobs with its own.
 */
class TokenRegistryTest {
    private static final String USER = "inlay-ci";
    private static final String PASSWORD = "t0ken:pass";
    private static final String SERVICE = "inlay-test";
    private static final String ISSUER = "inlay-test-issuer";
    /** An identity token, as a credential helper or {@code docker login} to ACR stores it: user {@code <token>}. */
    private static final String REFRESH_TOKEN = "refresh-0123456789";

    @TempDir
    static Path dir;

    static TestRegistry registry;
    static HttpServer tokens;
    static String host;
    static PrivateKey key;
    static String certificate;
    /** Every token request: its scopes, and whether it came with the right credentials. */
    static final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        Cli.requireTool(Cli.onPath("docker-registry"), "docker-registry");
        Cli.requireTool(Cli.onPath("skopeo"), "skopeo");
        Path keystore = dir.resolve("token.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Processes.ok(
                60,
                keytool,
                "-genkeypair",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "inlay-test",
                "-alias",
                "token",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=inlay-test-token",
                "-validity",
                "2");
        Path certFile = dir.resolve("token.pem");
        Processes.ok(
                60,
                keytool,
                "-exportcert",
                "-rfc",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "inlay-test",
                "-alias",
                "token",
                "-file",
                certFile.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "inlay-test".toCharArray());
        }
        key = (PrivateKey) ks.getKey("token", "inlay-test".toCharArray());
        Certificate cert = ks.getCertificate("token");
        certificate = Base64.getEncoder().encodeToString(cert.getEncoded());

        tokens = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokens.createContext("/token", exchange -> {
            try (exchange) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                String expected = "Basic "
                        + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
                List<String> scopes = new ArrayList<>();
                // GET with Basic credentials, or the OAuth2 refresh-token grant, a form POSTed
                boolean post = exchange.getRequestMethod().equals("POST");
                String params = post
                        ? new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                        : exchange.getRequestURI().getRawQuery();
                String refresh = null;
                if (params != null) {
                    for (String p : params.split("&")) {
                        if (p.startsWith("scope="))
                            scopes.add(URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8));
                        if (p.startsWith("refresh_token="))
                            refresh = URLDecoder.decode(p.substring(14), StandardCharsets.UTF_8);
                    }
                }
                boolean ok = post
                        ? REFRESH_TOKEN.equals(refresh) && params.contains("grant_type=refresh_token")
                        : expected.equals(auth);
                requests.add((post ? "POST " : "") + String.join(" ", scopes) + (ok ? "" : " (refused)"));
                if (!ok) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                byte[] body = ("{\"token\":\"" + token(scopes) + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        tokens.start();

        TestRegistry started = TestRegistry.start(
                dir,
                "auth:\n  token:\n    realm: http://127.0.0.1:"
                        + tokens.getAddress().getPort() + "/token\n    service: " + SERVICE + "\n    issuer: " + ISSUER
                        + "\n    rootcertbundle: " + certFile + "\n",
                false,
                401);
        registry = started;
        host = started.host;
        assertTrue(
                started.ready
                        .headers()
                        .firstValue("WWW-Authenticate")
                        .orElse("")
                        .startsWith("Bearer realm="),
                started.ready.headers().toString());
        started.pushBaseImage(USER, PASSWORD);
    }

    /** A JWT the registry accepts: RS256, the certificate in x5c, every requested action granted. */
    static String token(List<String> scopes) throws Exception {
        ObjectNode header = Json.MAPPER.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        header.putArray("x5c").add(certificate);
        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = Json.MAPPER
                .createObjectNode()
                .put("iss", ISSUER)
                .put("sub", USER)
                .put("aud", SERVICE)
                .put("exp", now + 600)
                .put("nbf", now - 60)
                .put("iat", now - 60)
                .put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            for (String one : scope.split(" ")) {
                String[] parts = one.split(":");
                if (parts.length != 3) continue;
                ObjectNode a = access.addObject().put("type", parts[0]).put("name", parts[1]);
                ArrayNode actions = a.putArray("actions");
                for (String action : parts[2].split(",")) actions.add(action);
            }
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(Json.MAPPER.writeValueAsBytes(header)) + "."
                + b64.encodeToString(Json.MAPPER.writeValueAsBytes(claims));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(rs256.sign());
    }

    @AfterAll
    static void stop() {
        if (registry != null) registry.close();
        if (tokens != null) tokens.stop(0);
    }

    @Test
    void manifestsAreReadWithATokenInlayAsksForItself() throws Exception {
        requests.clear();
        Cli.Result inspect = Cli.run("inspect", host + "/base/app:1", "--creds", USER + ":" + PASSWORD);
        assertEquals(0, inspect.exitCode(), inspect + "\ntoken requests: " + requests);
        assertTrue(inspect.out().contains("/opt/jdk/bin/java  17.0.12"), inspect.out());
        // Jib's token for its client, and inlay's own for the manifest: both for pulling this repository.
        assertEquals(List.of("repository:base/app:pull", "repository:base/app:pull"), requests);

        Cli.Result wrap = Cli.run(
                "wrap",
                host + "/base/app:1",
                host + "/wrapped/app:1",
                "--mode",
                "learn",
                "-q",
                "--creds",
                USER + ":" + PASSWORD);
        assertEquals(0, wrap.exitCode(), wrap + "\ntoken requests: " + requests);
        JsonNode pushed = Json.MAPPER.readTree(Processes.ok(
                60,
                "skopeo",
                "inspect",
                "--tls-verify=false",
                "--creds",
                USER + ":" + PASSWORD,
                "docker://" + host + "/wrapped/app:1"));
        assertEquals("true", pushed.path("Labels").path("dev.inlay.wrapped").asText());
        assertEquals(wrap.out().trim(), pushed.path("Digest").asText());
    }

    /** The ship phase's tag list asks the token service for its own scope, as the manifest reads do. */
    @Test
    void registryScanListsTagsWithATokenForTheRepository(@TempDir Path tmp) {
        requests.clear();
        Cli.Result scan = Cli.run(
                "registry",
                "scan",
                host + "/base/app",
                "--db",
                Path.of("../scanner/src/test/resources/osv")
                        .toAbsolutePath()
                        .normalize()
                        .toString(),
                "--state",
                tmp.resolve("state").toString(),
                "--no-cache",
                "--creds",
                USER + ":" + PASSWORD);
        assertEquals(0, scan.exitCode(), scan + "\ntoken requests: " + requests);
        assertTrue(scan.out().startsWith("passed " + host + "/base/app:1 "), scan.out());
        assertTrue(requests.contains("repository:base/app:pull"), requests.toString());
    }

    @Test
    void anIdentityTokenIsExchangedWithTheOAuth2RefreshGrant() {
        requests.clear();
        Cli.Result inspect = Cli.run("inspect", host + "/base/app:1", "--creds", "<token>:" + REFRESH_TOKEN);
        assertEquals(0, inspect.exitCode(), inspect + "\ntoken requests: " + requests);
        assertEquals(List.of("POST repository:base/app:pull", "POST repository:base/app:pull"), requests);
    }

    @Test
    void refusedCredentialsAreAnIoFailureThatSaysSo() {
        Cli.Result r = Cli.run("inspect", host + "/base/app:1", "--creds", USER + ":wrong");
        assertEquals(4, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("inlay: ") && r.err().contains("unauthorized"), r.err());
    }
}
