package dev.inlay.instrumenter.admission;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook's HTTPS endpoint: {@code POST /validate} takes an AdmissionReview and answers it; {@code GET /healthz}
 * answers {@code ok} for readiness probes. A request that is not an AdmissionReview v1 gets HTTP 400 with the reason
 * (the API server then applies the webhook's failurePolicy: with {@code Fail}, the object is refused).
 */
public final class AdmissionServer implements AutoCloseable {
    public static final String PATH = "/validate";
    /** The API server sends the object and the old object; etcd holds objects of at most 1.5 MiB. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    static final int THREADS = 8;

    private final HttpsServer server;
    private final ExecutorService handlers;
    private final ExecutorService lookups;
    private final PrintStream log;

    private AdmissionServer(HttpsServer server, ExecutorService handlers, ExecutorService lookups, PrintStream log) {
        this.server = server;
        this.handlers = handlers;
        this.lookups = lookups;
        this.log = log;
    }

    /**
     * Starts serving on {@code address} (port 0: any free port, see {@link #port()}). The reviewer's registry reads run on
     * {@code lookups}, which the server shuts down when closed.
     */
    public static AdmissionServer start(
            InetSocketAddress address,
            SSLContext tls,
            AdmissionReviewer reviewer,
            ExecutorService lookups,
            PrintStream log)
            throws IOException {
        HttpsServer server = HttpsServer.create(address, 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                params.setSSLParameters(p);
            }
        });
        ExecutorService handlers = Executors.newFixedThreadPool(THREADS, daemonThreads("inlay-admission-http"));
        AdmissionServer admission = new AdmissionServer(server, handlers, lookups, log);
        server.createContext(PATH, exchange -> admission.validate(exchange, reviewer));
        server.createContext("/healthz", admission::health);
        server.createContext(
                "/",
                exchange ->
                        admission.reply(exchange, 404, "text/plain", "not found: POST " + PATH + " or GET /healthz\n"));
        server.setExecutor(handlers);
        server.start();
        return admission;
    }

    /**
     * Where registry reads run: 16 threads and at most {@link #QUEUED_READS} waiting. A registry that hangs can hold a
     * thread past the review's deadline (a blocked socket read does not answer an interrupt); with every thread held,
     * reads wait, and past the bound they are refused at once, which denies (fail closed) instead of piling up.
     */
    public static ExecutorService registryReads() {
        return new java.util.concurrent.ThreadPoolExecutor(
                16,
                16,
                0,
                java.util.concurrent.TimeUnit.MILLISECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(QUEUED_READS),
                daemonThreads("inlay-admission-registry"));
    }

    static final int QUEUED_READS = 256;

    /** Threads that do not keep the JVM alive on their own, named for thread dumps. */
    public static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void validate(HttpExchange exchange, AdmissionReviewer reviewer) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                reply(exchange, 404, "text/plain", "not found: POST " + PATH + "\n");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                reply(exchange, 405, "text/plain", "POST an AdmissionReview to " + PATH + "\n");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                reply(exchange, 413, "text/plain", "an AdmissionReview larger than " + MAX_BODY_BYTES + " bytes\n");
                log.println("inlay admission: refused a review of more than " + MAX_BODY_BYTES + " bytes from "
                        + exchange.getRemoteAddress());
                return;
            }
            AdmissionReviewer.Decision decision;
            try {
                decision = reviewer.review(body);
            } catch (AdmissionReviewer.BadReview bad) {
                reply(exchange, 400, "text/plain", "bad AdmissionReview: " + bad.getMessage() + "\n");
                log.println("inlay admission: bad AdmissionReview from " + exchange.getRemoteAddress() + ": "
                        + bad.getMessage());
                return;
            }
            log.println("inlay admission: " + decision.uid() + " " + decision.summary()
                    + (decision.warnings().isEmpty()
                            ? ""
                            : " (warnings: " + String.join("; ", decision.warnings()) + ")"));
            byte[] response = decision.responseBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        } catch (RuntimeException e) {
            // A bug must not become an allow: the API server treats a 500 as a failed call (failurePolicy: Fail
            // refuses).
            log.println("inlay admission: internal error: " + e);
            e.printStackTrace(log);
            try {
                reply(exchange, 500, "text/plain", "internal error: " + e + "\n");
            } catch (IOException | RuntimeException ignored) {
                // the headers may have gone out already; the connection is closed either way
            }
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        try (exchange) {
            reply(exchange, 200, "text/plain", "ok\n");
        }
    }

    private void reply(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        lookups.shutdownNow();
    }
}
