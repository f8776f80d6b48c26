package dev.inlay.cli.scan;

import com.sun.net.httpserver.HttpServer;
import dev.inlay.scanner.vuln.AdvisoryDatabase;
import dev.inlay.scanner.vuln.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inlay db fetch} against a real HTTP server on 127.0.0.1 serving OSV-style archives. */
class DbFetchCommandTest {
    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private String base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            requested.add(path);
            byte[] body = files.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else if (body.length == 0) {
                // A download that breaks off: a length announced, the connection closed early.
                exchange.sendResponseHeaders(200, 1_000_000);
                exchange.getResponseBody().write(new byte[100]);
                exchange.close();
                return;
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/osv";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void fetchesEachEcosystemIntoItsDirectoryAndIndexesIt(@TempDir Path tmp) throws Exception {
        byte[] maven =
                Files.readAllBytes(Fixtures.zipOf(Fixtures.osvDirectory().resolve("maven"), tmp.resolve("m.zip")));
        byte[] debian =
                Files.readAllBytes(Fixtures.zipOf(Fixtures.osvDirectory().resolve("debian"), tmp.resolve("d.zip")));
        files.put("/osv/Maven/all.zip", maven);
        files.put("/osv/Debian:12/all.zip", debian);
        Path db = tmp.resolve("db");
        TestCli.Run r = TestCli.run(
                new DbCommand(), "fetch", "--ecosystem", "Maven", "Debian:12", "--into", db.toString(), "--url", base);
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("/osv/Maven/all.zip", "/osv/Debian:12/all.zip"), requested);
        assertEquals(
                List.of(
                        "Debian:12/all.zip",
                        "Debian:12/all.zip.inlay-index",
                        "Maven/all.zip",
                        "Maven/all.zip.inlay-index"),
                listing(db));
        assertArrayEquals(maven, Files.readAllBytes(db.resolve("Maven/all.zip")));
        assertTrue(r.err().contains("fetched Maven: 6 advisories (1 withdrawn, left out)"), r.err());
        try (AdvisoryDatabase opened = AdvisoryDatabase.open(db)) {
            assertEquals(7, opened.size());
            assertEquals(
                    "DEBIAN-CVE-2023-4911",
                    opened.advisories("Debian:12", "glibc").get(0).id());
        }
        // The scan reads what fetch wrote.
        TestCli.Run scan = TestCli.run(
                new ScanCommand(),
                Fixtures.docserviceSbom().toString(),
                "--db",
                db.toString(),
                "--fail-on",
                "critical");
        assertEquals(1, scan.exit(), scan.err());
    }

    @Test
    void aFailedFetchLeavesThePreviousDatabaseAsItWas(@TempDir Path tmp) throws Exception {
        byte[] maven =
                Files.readAllBytes(Fixtures.zipOf(Fixtures.osvDirectory().resolve("maven"), tmp.resolve("m.zip")));
        files.put("/osv/Maven/all.zip", maven);
        Path db = tmp.resolve("db");
        assertEquals(
                0,
                TestCli.run(new DbCommand(), "fetch", "--ecosystem", "Maven", "--into", db.toString(), "--url", base)
                        .exit());
        List<String> before = listing(db);

        // Not found: exit 4, nothing changed.
        TestCli.Run r =
                TestCli.run(new DbCommand(), "fetch", "--ecosystem", "Mavne", "--into", db.toString(), "--url", base);
        assertEquals(4, r.exit(), r.err());
        assertTrue(r.err().contains("GET " + base + "/Mavne/all.zip: HTTP 404"), r.err());

        // An error page instead of a zip: bad input (3), the good archive untouched.
        files.put("/osv/Maven/all.zip", "<html>rate limited</html>".getBytes());
        r = TestCli.run(new DbCommand(), "fetch", "--ecosystem", "Maven", "--into", db.toString(), "--url", base);
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("not a zip archive"), r.err());
        assertArrayEquals(maven, Files.readAllBytes(db.resolve("Maven/all.zip")));

        // A download that breaks off: I/O (4), the good archive untouched.
        files.put("/osv/Maven/all.zip", new byte[0]);
        r = TestCli.run(new DbCommand(), "fetch", "--ecosystem", "Maven", "--into", db.toString(), "--url", base);
        assertEquals(4, r.exit(), r.err());
        assertArrayEquals(maven, Files.readAllBytes(db.resolve("Maven/all.zip")));
        assertEquals(before, listing(db), "no temporary file or directory left behind");
        assertTrue(!Files.exists(db.resolve("Mavne")));
    }

    @Test
    void nothingListensThereAndBadCommandLines(@TempDir Path tmp) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        TestCli.Run r = TestCli.run(
                new DbCommand(),
                "fetch",
                "--ecosystem",
                "Maven",
                "--into",
                tmp.toString(),
                "--url",
                "http://127.0.0.1:" + closed);
        assertEquals(4, r.exit(), r.err());
        assertTrue(r.err().contains("connection refused"), r.err());
        assertEquals(
                2,
                TestCli.run(new DbCommand(), "fetch", "--ecosystem", "../etc", "--into", tmp.toString(), "--url", base)
                        .exit());
        assertEquals(
                2,
                TestCli.run(
                                new DbCommand(),
                                "fetch",
                                "--ecosystem",
                                "Maven",
                                "--into",
                                tmp.toString(),
                                "--url",
                                "ftp://x")
                        .exit());
        assertEquals(
                2,
                TestCli.run(new DbCommand(), "fetch", "--into", tmp.toString()).exit());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals(
                4,
                TestCli.run(new DbCommand(), "fetch", "--ecosystem", "Maven", "--into", file.toString(), "--url", base)
                        .exit());
    }
}
