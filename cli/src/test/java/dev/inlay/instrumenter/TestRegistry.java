package dev.inlay.instrumenter;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real registry of a test's own: Debian's docker-registry on a free 127.0.0.1 port, its storage, configuration and
 * log in {@code dir}, started and waited for until {@code /v2/} answers as the test expects (200 open, 401 with
 * authentication). Its log is the registry's own account of the requests it served (with {@code accessLog}).
 */
final class TestRegistry implements AutoCloseable {
    final String host;
    final Path dir;
    /** The answer to {@code GET /v2/} that said the registry was up (its challenge, with authentication). */
    final HttpResponse<Void> ready;

    private final Process process;

    private TestRegistry(String host, Path dir, Process process, HttpResponse<Void> ready) {
        this.host = host;
        this.dir = dir;
        this.process = process;
        this.ready = ready;
    }

    /**
     * @param settings  more of the registry's YAML configuration ({@code auth: ...}), or empty
     * @param accessLog whether the log lists every request
     * @param status    what {@code GET /v2/} answers once the registry is up
     */
    static TestRegistry start(Path dir, String settings, boolean accessLog, int status) throws Exception {
        Cli.requireTool(Cli.onPath("docker-registry"), "docker-registry");
        String host;
        try (ServerSocket s = new ServerSocket(0)) {
            host = "127.0.0.1:" + s.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(
                config,
                "version: 0.1\nlog:\n  level: " + (accessLog ? "info\n  accesslog:\n    disabled: false" : "error")
                        + "\nstorage:\n  filesystem:\n    rootdirectory: " + dir.resolve("data") + "\n" + settings
                        + "http:\n  addr: " + host + "\n");
        Process process = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://" + host + "/v2/"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == status) return new TestRegistry(host, dir, process, r);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        process.destroy();
        throw new AssertionError("registry did not start: " + Files.readString(dir.resolve("log")));
    }

    /**
     * Pushes a small JVM image (a JDK layer and an application jar) to {@code base/app:1} with skopeo and the given
     * credentials: what the authenticated registry tests wrap and read back.
     */
    void pushBaseImage(String user, String password) throws Exception {
        Path layout = dir.resolve("base-layout");
        java.util.List<byte[]> layers = java.util.List.of(
                TestImages.jvmLayer("/opt/jdk", "17.0.12"),
                new TestImages.LayerBuilder()
                        .file("app/app.jar", "x".repeat(1000), 0644)
                        .build());
        TestImages.ociLayout(layout, "v1", layers, TestImages.config("amd64", layers, null));
        Processes.ok(
                60,
                "skopeo",
                "copy",
                "-q",
                "--dest-tls-verify=false",
                "--dest-creds",
                user + ":" + password,
                "oci:" + layout + ":v1",
                "docker://" + host + "/base/app:1");
    }

    Path log() {
        return dir.resolve("log");
    }

    @Override
    public void close() {
        process.destroy();
    }
}
