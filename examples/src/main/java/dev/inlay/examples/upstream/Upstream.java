package dev.inlay.examples.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The docservice's neighbours on the internal network, in one process:
 * <ul>
 *   <li>API port (8081): the classification service ({@code POST /classify}) and public pages ({@code /public/...})
 *   that the docservice legitimately calls;</li>
 *   <li>metadata port (9090): an imitation of a cloud instance-metadata service that hands out credentials to
 *   anyone who can reach it. Only an SSRF reaches it; the demo gives this container the network alias
 *   {@code metadata}.</li>
 * </ul>
 * Configuration by environment: {@code API_PORT} (8081), {@code METADATA_PORT} (9090).
 */
public final class Upstream {
    /** What a successful SSRF leaks; the attack script looks for it. */
    public static final String SECRET = "InlayDemoSecretAccessKey/EXAMPLE+KEY";

    private final HttpServer api;
    private final HttpServer metadata;

    public Upstream(int apiPort, int metadataPort) throws IOException {
        api = HttpServer.create(new InetSocketAddress(apiPort), 64);
        api.createContext("/classify", Upstream::classify);
        api.createContext(
                "/public/",
                ex -> send(
                        ex,
                        200,
                        "text/html",
                        "<html><head><title>Welcome to the document portal</title></head><body>Quarterly reports, "
                                + "contracts and minutes.</body></html>\n"));
        metadata = HttpServer.create(new InetSocketAddress(metadataPort), 16);
        metadata.createContext(
                "/latest/meta-data/iam/security-credentials/",
                ex -> send(
                        ex,
                        200,
                        "application/json",
                        "{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAEXAMPLEINLAYDEMO\",\"SecretAccessKey\":\"" + SECRET
                                + "\",\"Token\":\"demo-session-token\"}\n"));
    }

    public static void main(String[] args) throws IOException {
        Upstream upstream = new Upstream(port("API_PORT", 8081), port("METADATA_PORT", 9090));
        upstream.start();
        System.out.println(
                "upstream: classification on :" + upstream.apiPort() + ", metadata on :" + upstream.metadataPort());
    }

    private static int port(String env, int fallback) {
        String v = System.getenv(env);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v);
    }

    public void start() {
        api.start();
        metadata.start();
    }

    public void stop() {
        api.stop(0);
        metadata.stop(0);
    }

    public int apiPort() {
        return api.getAddress().getPort();
    }

    public int metadataPort() {
        return metadata.getAddress().getPort();
    }

    /** Tags by keyword: enough for the docservice to have a real outbound dependency. */
    private static void classify(HttpExchange ex) throws IOException {
        String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        StringJoiner tags = new StringJoiner(",");
        if (text.contains("invoice") || text.contains("payment")) tags.add("finance");
        if (text.contains("contract") || text.contains("agreement")) tags.add("legal");
        if (text.contains("meeting") || text.contains("minutes")) tags.add("minutes");
        if (tags.length() == 0) tags.add("general");
        send(ex, 200, "text/plain", tags + "\n");
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
