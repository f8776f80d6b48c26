package dev.inlay.examples.docservice;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.InputStream;
import java.io.ObjectInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A document service with the bugs security teams meet in real code. Deliberately vulnerable: never deploy it.
 *
 * <pre>
 * GET  /health                      liveness
 * PUT  /docs?name=N&amp;title=T         store a document (file + database row + sha256sum + classification upstream)
 * GET  /docs?name=N                 read a document          -- path traversal: name=../../etc/passwd
 * GET  /docs/list?sort=COLUMN       list documents (database), sorted by a column (name)
 *                                                             -- SQL injection: ORDER BY + COLUMN, so H2's own
 *                                                                functions run (FILE_WRITE overwrites a document)
 * GET  /search?q=TEXT               full-text search (database); queries and User-Agents are logged by log4j 2.14.1
 *                                                             -- JNDI injection: ${jndi:ldap://...}
 * GET  /preview?url=U               fetch a link preview     -- SSRF: any URL, any host
 * POST /import                      legacy client upload, a Java-serialized ImportedDocument
 *                                                             -- unsafe deserialization (commons-collections 3.2.1)
 * GET  /diag/lookup?host=H          support's DNS check      -- command injection: sh -c "getent hosts " + host
 * </pre>
 *
 * Configuration by environment: {@code PORT} (8080), {@code DATA_DIR} ({@code /app/data}), {@code UPSTREAM_URL}
 * ({@code http://upstream:8081}), {@code SHA256SUM} ({@code /usr/bin/sha256sum}), {@code LDAP_TRUST_SERIAL_DATA}
 * ({@code true}).
 */
public final class DocService implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(DocService.class);
    private static final int PREVIEW_LIMIT = 64 * 1024;

    private final HttpServer server;
    private final DocumentStore store;
    private final Checksums checksums;
    private final UpstreamClient upstream;

    public DocService(int port, Path dataDir, URI upstreamUrl, String sha256sum) throws Exception {
        this.store = new DocumentStore(dataDir);
        this.checksums = new Checksums(sha256sum);
        this.upstream = new UpstreamClient(upstreamUrl);
        this.server = HttpServer.create(new InetSocketAddress(port), 64);
        server.createContext("/health", Http.handler(ex -> Http.text(ex, 200, "ok\n")));
        server.createContext("/docs/list", Http.handler(this::list));
        server.createContext("/docs", Http.handler(this::docs));
        server.createContext("/search", Http.handler(this::search));
        server.createContext("/preview", Http.handler(this::preview));
        server.createContext("/import", Http.handler(this::importDocument));
        server.createContext("/diag/lookup", Http.handler(this::lookup));
        server.setExecutor(Executors.newFixedThreadPool(8));
    }

    public static void main(String[] args) throws Exception {
        // The directory integration stores Java objects in LDAP, as older enterprise applications did; the JDK stopped
        // trusting them by default (17.0.x), so such applications turned it back on. This is what makes the log4j
        // JNDI lookup an RCE on a current JDK; LDAP_TRUST_SERIAL_DATA=false shows the patched configuration.
        System.setProperty("com.sun.jndi.ldap.object.trustSerialData", env("LDAP_TRUST_SERIAL_DATA", "true"));
        int port = Integer.parseInt(env("PORT", "8080"));
        DocService service = new DocService(
                port,
                Path.of(env("DATA_DIR", "/app/data")),
                URI.create(env("UPSTREAM_URL", "http://upstream:8081")),
                env("SHA256SUM", "/usr/bin/sha256sum"));
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shutdown"));
        service.start();
        LOG.info("docservice listening on :{} (java {})", service.port(), Runtime.version());
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        try {
            store.close();
        } catch (Exception e) {
            LOG.warn("closing the database: {}", e.toString());
        }
    }

    private void docs(HttpExchange ex) throws Exception {
        Http.requireMethod(ex, "GET", "PUT", "POST");
        String name = Http.required(ex, "name");
        if (ex.getRequestMethod().equals("GET")) {
            byte[] content = store.readFile(name);
            if (content == null) throw new Http.Status(404, "no document '" + name + "'");
            Http.send(ex, 200, "text/plain; charset=utf-8", content);
            return;
        }
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        }
        String title = Http.query(ex).getOrDefault("title", name);
        String stored = save(name, title, body);
        Http.json(ex, 201, stored);
    }

    private String save(String name, String title, String body) throws Exception {
        if (!DocumentStore.SAFE_NAME.matcher(name).matches()) throw new Http.Status(400, "bad document name");
        store.writeFile(name, body);
        String sha256 = checksums.sha256(store.docsDir().resolve(name));
        String tags = upstream.classify(body);
        store.put(name, title, body, sha256, tags);
        LOG.info("stored {} ({} bytes, tags {})", name, body.length(), tags);
        return "{\"name\":" + Http.quote(name) + ",\"sha256\":" + Http.quote(sha256) + ",\"tags\":" + Http.quote(tags)
                + "}\n";
    }

    private void list(HttpExchange ex) throws Exception {
        Http.json(ex, 200, toJson(store.list(Http.query(ex).getOrDefault("sort", "name"))));
    }

    private void search(HttpExchange ex) throws Exception {
        String q = Http.required(ex, "q");
        LOG.info("search q={}", q);
        Http.json(ex, 200, toJson(store.search(q)));
    }

    private void preview(HttpExchange ex) throws Exception {
        String url = Http.required(ex, "url");
        URLConnection connection = new URL(url).openConnection();
        connection.setConnectTimeout(3000);
        connection.setReadTimeout(5000);
        byte[] head;
        try (InputStream in = connection.getInputStream()) {
            head = in.readNBytes(PREVIEW_LIMIT);
        }
        Http.send(ex, 200, "text/plain; charset=utf-8", head);
    }

    private void importDocument(HttpExchange ex) throws Exception {
        Http.requireMethod(ex, "POST");
        Object decoded;
        try (ObjectInputStream in = new ObjectInputStream(ex.getRequestBody())) {
            decoded = in.readObject();
        }
        if (!(decoded instanceof ImportedDocument doc)) {
            throw new Http.Status(
                    400, "not an ImportedDocument: " + decoded.getClass().getName());
        }
        Http.json(ex, 201, save(doc.name(), doc.title(), doc.body()));
    }

    private void lookup(HttpExchange ex) throws Exception {
        String host = Http.required(ex, "host");
        Process p = new ProcessBuilder("sh", "-c", "getent hosts " + host)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        Http.text(ex, p.exitValue() == 0 ? 200 : 404, out.isEmpty() ? "not found\n" : out);
    }

    private static String toJson(List<DocumentStore.Metadata> docs) {
        StringBuilder b = new StringBuilder("[");
        for (DocumentStore.Metadata m : docs) {
            if (b.length() > 1) b.append(',');
            b.append("{\"name\":")
                    .append(Http.quote(m.name()))
                    .append(",\"title\":")
                    .append(Http.quote(m.title()))
                    .append(",\"size\":")
                    .append(m.size())
                    .append(",\"sha256\":")
                    .append(Http.quote(m.sha256()))
                    .append(",\"tags\":")
                    .append(Http.quote(m.tags() == null ? "" : m.tags()))
                    .append('}');
        }
        return b.append("]\n").toString();
    }
}
