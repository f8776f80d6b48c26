package dev.inlay.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The output path never stalls the application or the agent (docs/EVENTS.md "Sinks"): an HTTP sink that accepts and
 * never reads (a real socket on 127.0.0.1 with a 4 KiB receive buffer, fed more than any socket buffer holds) does
 * not keep the JVM from exiting, normally or on SIGTERM, does not stop policy reloads, and does not delay a
 * {@code kill}; a sink that is down or full is reported on stderr; lost lines are counted in status lines. No timed
 * assertions: each process gets a generous {@code waitFor} that only a hang exceeds.
 */
class SinkStallIT {
    /** Far above every bound the agent documents; only a hang reaches it. */
    private static final long HANG_SECONDS = 90;

    @TempDir
    Path work;

    private ServerSocket stalled;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    /** Options for the agent's JVM (a trust store for the TLS sink). */
    private final List<String> jvmOptions = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Process p : processes) p.destroyForcibly();
        if (stalled != null) stalled.close();
        for (Socket s : held) s.close();
    }

    /** Accepts every connection and never reads from it. */
    private String stalledSink() throws IOException {
        stalled = new ServerSocket();
        stalled.setReceiveBufferSize(4096);
        stalled.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) held.add(stalled.accept());
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return "http://127.0.0.1:" + stalled.getLocalPort() + "/events";
    }

    /**
     * Like {@link #stalledSink()} over TLS: a self-signed certificate for 127.0.0.1 (made with the JDK's keytool),
     * which the agent's JVM trusts through {@code javax.net.ssl.trustStore}. Each connection's handshake completes
     * (on a thread of its own), then nothing is read.
     */
    private String stalledTlsSink() throws Exception {
        return stalledTlsSink(null);
    }

    /** What a TLS sink does with a request once its head is read. */
    private interface TlsRequest {
        void handle(SSLSocket tls, String head) throws IOException;
    }

    /** @param requests reads each request's head and hands it on, when given (never reads otherwise) */
    private String stalledTlsSink(TlsRequest requests) throws Exception {
        Path keyStore = work.resolve("sink.p12");
        char[] password = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-keystore",
                        keyStore.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-alias",
                        "sink",
                        "-keyalg",
                        "EC",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "san=ip:127.0.0.1",
                        "-validity",
                        "2")
                .redirectErrorStream(true)
                .start();
        String said = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), said);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, password);
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        stalled = tls.getServerSocketFactory().createServerSocket();
        stalled.setReceiveBufferSize(4096);
        stalled.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    SSLSocket s = (SSLSocket) stalled.accept();
                    held.add(s);
                    Thread handshake = new Thread(() -> {
                        try {
                            s.startHandshake();
                            if (requests != null) requests.handle(s, readHead(s.getInputStream()));
                        } catch (IOException e) {
                            // the agent gave up first
                        }
                    });
                    handshake.setDaemon(true);
                    handshake.start();
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        jvmOptions.addAll(List.of(
                "-Djavax.net.ssl.trustStore=" + keyStore,
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Djavax.net.ssl.trustStorePassword=changeit"));
        return "https://127.0.0.1:" + stalled.getLocalPort() + "/events";
    }

    private Process start(int jdk, String agentArgs, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(AgentRun.java(jdk).toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-javaagent:" + AgentRun.agentJar().toAbsolutePath() + "=" + agentArgs,
                "-cp",
                AgentRun.testClasses().toString(),
                "dev.inlay.probe.SinkLoad"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("INLAY_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        pb.redirectOutput(work.resolve("out.txt").toFile())
                .redirectError(work.resolve("err.txt").toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private String out() throws IOException {
        return Files.readString(work.resolve("out.txt"), StandardCharsets.UTF_8);
    }

    private String err() throws IOException {
        return Files.readString(work.resolve("err.txt"), StandardCharsets.UTF_8);
    }

    private void awaitOutput(Process p, String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
        while (!out().contains(text)) {
            if (!p.isAlive())
                throw new AssertionError("exited " + p.exitValue() + " before " + text + ":\n" + out() + err());
            if (System.nanoTime() > end) throw new AssertionError("no " + text + ":\n" + out() + err());
            Thread.sleep(50);
        }
    }

    private void awaitExit(Process p, String what) throws Exception {
        if (!p.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(what + ": the JVM did not exit (hung on the sink)\n" + out() + err());
        }
    }

    /** A policy that alerts on every read of the burst directory (one event per file) and acts on {@code target}. */
    private Path policy(String name, String targetAction) throws IOException {
        Path p = work.resolve(name);
        Files.writeString(
                p,
                String.join(
                        "\n",
                        "apiVersion: inlay.dev/v1",
                        "kind: Policy",
                        "metadata: {name: " + name.replace(".yaml", "") + "}",
                        "spec:",
                        "  mode: enforce",
                        "  defaults: {files: allow, network: allow, dns: allow, processes: allow, nativeLibraries: allow,"
                                + " jndi: allow, deserialization: allow, classDefinition: allow, drift: allow}",
                        "  files:",
                        "    - {id: burst, action: alert, paths: [\"" + work.resolve("burst") + "/**\"]}",
                        "    - {id: target, action: " + targetAction + ", paths: [\"" + work.resolve("target.txt")
                                + "\"]}",
                        ""));
        Files.writeString(work.resolve("target.txt"), "t");
        return p;
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void aStalledHttpSinkDoesNotHoldANormalExit(int jdk) throws Exception {
        aStalledSinkDoesNotHoldANormalExit(jdk, stalledSink());
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void aStalledHttpsSinkDoesNotHoldANormalExit(int jdk) throws Exception {
        aStalledSinkDoesNotHoldANormalExit(jdk, stalledTlsSink());
    }

    private void aStalledSinkDoesNotHoldANormalExit(int jdk, String sink) throws Exception {
        // 24,000 distinct behaviors with long names: a final profile of ~9 MB, more than the socket buffers hold
        Process p = start(
                jdk,
                "mode=learn,sink=" + sink,
                Map.of(),
                "24000",
                work.resolve("burst").toString(),
                "exit");
        awaitExit(p, "normal exit");
        assertEquals(0, p.exitValue(), out() + err());
        assertTrue(out().contains("BURST"), out());
        assertTrue(
                err().contains("did not take") && err().contains("\"status\":\"stopped\""),
                "what the sink did not take at exit is said on stderr, with the stopped status: " + err());
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void aStalledHttpSinkDoesNotHoldSigterm(int jdk) throws Exception {
        Process p = start(
                jdk,
                "mode=learn,sink=" + stalledSink(),
                Map.of(),
                "24000",
                work.resolve("burst").toString(),
                "sleep");
        awaitOutput(p, "BURST");
        p.destroy(); // SIGTERM: the shutdown hook runs
        awaitExit(p, "SIGTERM");
        assertEquals(143, p.exitValue(), out() + err());
        assertTrue(err().contains("did not take"), err());
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void aPolicyReloadTakesEffectWhileTheSinkIsStalled(int jdk) throws Exception {
        aPolicyReloadTakesEffectWhileTheSinkIsStalled(jdk, stalledSink());
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void aPolicyReloadTakesEffectWhileTheHttpsSinkIsStalled(int jdk) throws Exception {
        aPolicyReloadTakesEffectWhileTheSinkIsStalled(jdk, stalledTlsSink());
    }

    private void aPolicyReloadTakesEffectWhileTheSinkIsStalled(int jdk, String sink) throws Exception {
        Path policy = policy("live.yaml", "allow");
        // 16,000 alert events (over 1 KiB each, with their stacks) stall the sink's socket for good
        Process p = start(
                jdk,
                "policyPoll=200,eventWindow=100,sink=" + sink,
                Map.of("INLAY_POLICY", policy.toString()),
                "16000",
                work.resolve("burst").toString(),
                "watch",
                work.resolve("target.txt").toString());
        awaitOutput(p, "BURST");
        Files.writeString(policy, Files.readString(policy).replace("action: allow", "action: deny"));
        awaitExit(p, "reload");
        assertTrue(
                out().contains("DENIED") && !out().contains("NEVER DENIED"), "the deny policy took effect: " + out());
        assertEquals(0, p.exitValue(), out() + err());
    }

    /**
     * The write deadline itself: a TLS sink stalls every request (handshake done, head read, body never read) until
     * one comes whose body is larger than a socket's send buffer can ever grow (the kernel's {@code tcp_wmem}
     * maximum), so its write is certainly blocked; from then on it takes every request. That write gives up at
     * {@code sinkTimeout} and later batches arrive, with the lost lines counted. Without a write deadline the sink
     * thread stays in that write for good and nothing arrives again.
     */
    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void aStalledHttpsWriteGivesUpAtTheDeadline(int jdk) throws Exception {
        // (readAllLines: Files.readString cuts a /proc file short on JDK 17)
        long sendBufferMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_wmem"))
                .get(0)
                .trim()
                .split("\\s+")[2]);
        AtomicInteger blockedRequests = new AtomicInteger();
        List<String> received = new CopyOnWriteArrayList<>();
        String sink = stalledTlsSink((tls, head) -> {
            if (contentLength(head) > sendBufferMax) blockedRequests.incrementAndGet();
            if (blockedRequests.get() == 0 || contentLength(head) > sendBufferMax) return; // never read
            String body = new String(tls.getInputStream().readNBytes(contentLength(head)), StandardCharsets.UTF_8);
            received.addAll(List.of(body.split("\n")));
            tls.getOutputStream().write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes());
            tls.close();
        });
        // 16,000 alert events with paths of 6,000 characters (lines of ~7 KiB, under the 8 KiB cap): batches of up to
        // 7 MB, above the default largest send buffer (4 MiB)
        Path dir = work.resolve("burst");
        for (int i = 0; i < 24; i++) dir = dir.resolve("d".repeat(250));
        Process p = start(
                jdk,
                "eventWindow=100,statusInterval=1,sinkTimeout=1000,sink=" + sink,
                Map.of("INLAY_POLICY", policy("alerts.yaml", "allow").toString()),
                "16000",
                dir.toString(),
                "sleep");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
        JsonNode counters = null;
        while (counters == null && System.nanoTime() < end && p.isAlive()) {
            for (String line : received) {
                if (!line.contains("\"status\":\"counters\"")) continue;
                JsonNode n = AgentRun.JSON.readTree(line);
                if (n.path("sinkLost").asLong() > 0) counters = n;
            }
            Thread.sleep(100);
        }
        assertTrue(blockedRequests.get() > 0, "a request larger than " + sendBufferMax + " bytes: " + out() + err());
        assertTrue(
                counters != null,
                "after the blocked write gave up, later batches arrived with the lost lines" + " counted ("
                        + received.size() + " lines received): " + out() + err());
        p.destroy();
        awaitExit(p, "SIGTERM");
        assertEquals(143, p.exitValue(), out() + err());
    }

    private static int contentLength(String head) {
        for (String h : head.split("\r\n")) {
            if (h.toLowerCase().startsWith("content-length:"))
                return Integer.parseInt(h.substring(15).trim());
        }
        return 0;
    }

    @ParameterizedTest
    @ValueSource(ints = {17, 25})
    void aKillHaltsWhileTheSinkIsStalled(int jdk) throws Exception {
        Path policy = policy("kill.yaml", "kill");
        Path trigger = work.resolve("trigger");
        Process p = start(
                jdk,
                "eventWindow=100,sinkTimeout=1000,sink=" + stalledSink(),
                Map.of("INLAY_POLICY", policy.toString()),
                "16000",
                work.resolve("burst").toString(),
                "read",
                work.resolve("target.txt").toString(),
                trigger.toString());
        awaitOutput(p, "BURST");
        // By the third connection the burst's events are on their way (each earlier batch gave up or timed out
        // waiting for an answer): the kill comes while the sink is stalled in that write.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
        while (held.size() < 3 && System.nanoTime() < end) Thread.sleep(50);
        assertTrue(held.size() >= 3, "the agent wrote to the stalled sink three times: " + out() + err());
        Files.writeString(trigger, "now");
        awaitExit(p, "kill");
        assertEquals(Checker.KILL_EXIT_CODE, p.exitValue(), out() + err());
        assertTrue(!out().contains("SURVIVED"), out());
        assertTrue(
                err().contains("did not take the kill event") && err().contains("\"action\":\"kill\""),
                "the kill event the sink did not take is on stderr: " + err());
    }

    @Test
    void aSinkThatIsDownIsReportedOnStderr() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Process p = start(
                17,
                "mode=learn,sink=http://127.0.0.1:" + closedPort + "/events",
                Map.of(),
                "100",
                work.resolve("burst").toString(),
                "exit");
        awaitExit(p, "closed sink");
        assertEquals(0, p.exitValue(), err());
        assertTrue(
                err().contains("inlay: sink http://127.0.0.1:" + closedPort + "/events failed")
                        && err().contains("lines lost"),
                err());
    }

    /**
     * The HTTPS sink checks the host name as HttpsURLConnection did: a certificate for 127.0.0.1 only, trusted, reached
     * as {@code localhost}, is refused before a request is sent.
     */
    @Test
    void anHttpsSinkWhoseCertificateNamesAnotherHostIsRefused() throws Exception {
        List<String> heads = new CopyOnWriteArrayList<>();
        String sink = stalledTlsSink((tls, head) -> heads.add(head)).replace("127.0.0.1", "localhost");
        Process p = start(
                17,
                "mode=learn,sink=" + sink,
                Map.of(),
                "100",
                work.resolve("burst").toString(),
                "exit");
        awaitExit(p, "wrong host");
        assertEquals(0, p.exitValue(), err());
        assertTrue(
                err().contains("inlay: sink " + sink + " failed (javax.net.ssl.SSLHandshakeException")
                        && err().contains("localhost"),
                err());
        assertTrue(heads.isEmpty(), "no request reached the server: " + heads);
    }

    @Test
    void aFullDiskSinkIsReportedOnStderr() throws Exception {
        Process p = start(
                17,
                "mode=learn,sink=file:/dev/full",
                Map.of(),
                "100",
                work.resolve("burst").toString(),
                "exit");
        awaitExit(p, "full disk");
        assertEquals(0, p.exitValue(), err());
        assertTrue(err().contains("inlay: sink file:/dev/full failed") && err().contains("lines lost"), err());
    }

    /**
     * A sink that refuses the first requests (HTTP 503), then takes everything: the lost lines are counted in a
     * {@code counters} status line that reaches it later, with the behaviors the cap did not record.
     */
    @Test
    void lostLinesAndUnrecordedBehaviorsAreCountedInStatusLines() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger requests = new AtomicInteger();
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread serving = new Thread(() -> {
            try (server) {
                while (true) {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        String head = readHead(in);
                        int length = 0;
                        for (String h : head.split("\r\n")) {
                            if (h.toLowerCase().startsWith("content-length:"))
                                length = Integer.parseInt(h.substring(15).trim());
                        }
                        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                        OutputStream o = s.getOutputStream();
                        if (requests.incrementAndGet() <= 2) {
                            o.write("HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes());
                        } else {
                            received.addAll(List.of(body.split("\n")));
                            o.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes());
                        }
                        o.flush();
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        serving.setDaemon(true);
        serving.start();
        try {
            Process p = start(
                    17,
                    "mode=learn,maxBehaviors=50,statusInterval=1,sink=http://127.0.0.1:" + server.getLocalPort()
                            + "/events",
                    Map.of(),
                    "500",
                    work.resolve("burst").toString(),
                    "sleep");
            awaitOutput(p, "BURST");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
            JsonNode counters = null;
            while (counters == null && System.nanoTime() < end) {
                for (String line : received) {
                    if (!line.contains("\"status\":\"counters\"")) continue;
                    JsonNode n = AgentRun.JSON.readTree(line);
                    if (n.path("sinkLost").asLong() > 0 && n.path("overflow").asLong() > 0) counters = n;
                }
                Thread.sleep(100);
            }
            assertTrue(counters != null, "a counters status with the lost lines and the overflow: " + received);
            assertTrue(counters.path("sinkFailures").asLong() >= 2, counters.toString());
            assertTrue(err().contains("HTTP 503"), "the failing sink was reported on stderr: " + err());
            p.destroy();
            awaitExit(p, "SIGTERM");
        } finally {
            server.close();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) break;
        }
        return sb.toString();
    }
}
