package dev.inlay.cli.scan;

import dev.inlay.scanner.vuln.AdvisoryDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code inlay db fetch --ecosystem E... --into DIR [--url BASE]}: downloads {@code BASE/E/all.zip} for each ecosystem
 * to {@code DIR/E/all.zip}. Each archive is written beside its place, checked (a zip whose every record indexes) and
 * only then moved into place, so a failed or interrupted fetch leaves the previous database as it was.
 */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Download OSV's archive of each ecosystem into DIR/ECOSYSTEM/all.zip, atomically, and index it."
        })
public final class DbFetchCommand implements Callable<Integer> {
    /** Where OSV publishes its per-ecosystem archives. */
    public static final String OSV_BUCKET = "https://osv-vulnerabilities.storage.googleapis.com";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--ecosystem",
            required = true,
            arity = "1..*",
            paramLabel = "ECOSYSTEM",
            description = "An OSV ecosystem as OSV names it: Maven, Debian, Debian:12, Alpine:v3.20 ... (repeatable).")
    List<String> ecosystems;

    @Option(
            names = "--into",
            required = true,
            paramLabel = "DIR",
            description = "The database directory (created if missing).")
    Path into;

    @Option(
            names = "--url",
            paramLabel = "BASE",
            defaultValue = OSV_BUCKET,
            description = "Where the archives are: BASE/ECOSYSTEM/all.zip (default: ${DEFAULT-VALUE}).")
    String base;

    @Override
    public Integer call() throws IOException, InterruptedException {
        URI baseUri;
        try {
            baseUri = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url " + base + " is not a URL");
        }
        if (!"http".equals(baseUri.getScheme()) && !"https".equals(baseUri.getScheme())) {
            throw new ParameterException(spec.commandLine(), "--url " + base + " is not an http or https URL");
        }
        for (String e : ecosystems) {
            if (e.isBlank()
                    || e.contains("/")
                    || e.contains("\\")
                    || e.equals(".")
                    || e.equals("..")
                    || e.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new ParameterException(
                        spec.commandLine(), "--ecosystem '" + e + "' is not an OSV ecosystem name");
            }
        }
        if (Files.exists(into) && !Files.isDirectory(into)) {
            throw new FileSystemException(into.toString(), null, "not a directory");
        }
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        PrintWriter err = spec.commandLine().getErr();
        for (String ecosystem : ecosystems) fetch(http, baseUri, ecosystem, err);
        return 0;
    }

    private void fetch(HttpClient http, URI baseUri, String ecosystem, PrintWriter err)
            throws IOException, InterruptedException {
        URI url = URI.create(baseUri + "/" + pathSegment(ecosystem) + "/all.zip");
        Path dir = into.resolve(ecosystem);
        boolean created = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        boolean done = false;
        Path target = dir.resolve("all.zip");
        // Hidden (a database directory skips dot files) and ending in .zip (so it opens as one).
        Path tmp = Files.createTempFile(dir, ".all.", ".zip");
        Path tmpIndex = tmp.resolveSibling(tmp.getFileName() + ".inlay-index");
        try {
            HttpResponse<InputStream> response;
            try {
                response = http.send(
                        HttpRequest.newBuilder(url)
                                .timeout(Duration.ofMinutes(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new IOException("GET " + url + ": " + reason(e), e);
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + url + ": HTTP " + response.statusCode()
                            + (response.statusCode() == 404
                                    ? " (no such ecosystem there? OSV names them as in its ecosystems.txt)"
                                    : ""));
                }
                Files.copy(body, tmp, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("GET ")) throw e;
                throw new IOException("GET " + url + ": the download broke off: " + reason(e), e);
            }
            int records;
            int withdrawn;
            try (AdvisoryDatabase db = AdvisoryDatabase.open(tmp)) {
                records = db.size();
                withdrawn = db.withdrawn();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(url + ": " + e.getMessage().replace(tmp.toString(), "all.zip"), e);
            }
            long size = Files.size(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (Files.exists(tmpIndex)) {
                Files.move(
                        tmpIndex,
                        dir.resolve("all.zip.inlay-index"),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            err.println("fetched " + ecosystem + ": " + records + " advisories (" + withdrawn
                    + " withdrawn, left out), " + size + " bytes -> " + target);
            err.flush();
            done = true;
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(tmpIndex);
            if (created && !done) Files.deleteIfExists(dir);
        }
    }

    /** The ecosystem as one path segment: {@code Debian:12} stays, a space becomes {@code %20}. */
    static String pathSegment(String ecosystem) {
        StringBuilder b = new StringBuilder();
        for (byte x : ecosystem.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~:@!$&'()*+,;=".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException) return "connection refused" + (m == null ? "" : " (" + m + ")");
        if (e instanceof java.net.http.HttpTimeoutException) return "timed out";
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
