package dev.inlay.runtime;

import dev.inlay.bootstrap.Inlay;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where lines go. Only the agent's sink thread writes to a sink (and, at exit, the shutdown hook after that thread
 * gave up), never an application thread.
 */
interface Sink {
    /** Connecting to an HTTP sink: a peer that does not answer a SYN gives up after this. */
    long CONNECT_TIMEOUT_MILLIS = 2000;
    /** The default bound of one batch to an HTTP sink, connect, request and response status together. */
    long WRITE_TIMEOUT_MILLIS = 5000;

    /**
     * Writes the lines, giving up at {@code deadlineNanos} ({@link System#nanoTime()}) where the sink can: an HTTP or
     * HTTPS sink can, a file or a pipe cannot (a write to a regular file does not stall; a full disk fails at once).
     */
    void write(List<String> lines, long deadlineNanos) throws IOException;

    /** What the sink is, for messages on stderr. */
    String describe();

    /** Makes the threads the sink starts the agent's own ({@code Inlay.ownThread}); before the first write. */
    default void ownThreads(Object agentKey) {}

    static Sink of(String spec) throws IOException {
        return of(spec, WRITE_TIMEOUT_MILLIS);
    }

    /** @param timeoutMillis an HTTP sink's bound for one batch ({@code sinkTimeout}) */
    static Sink of(String spec, long timeoutMillis) throws IOException {
        if (spec == null || spec.isEmpty() || spec.equals("stdout")) {
            return new StreamSink(new FileOutputStream(FileDescriptor.out), "stdout");
        }
        if (spec.equals("stderr")) return new StreamSink(new FileOutputStream(FileDescriptor.err), "stderr");
        if (spec.startsWith("file:")) {
            return new StreamSink(new FileOutputStream(spec.substring(5), true), spec);
        }
        if (spec.startsWith("http://")) return new HttpSink(new URL(spec), timeoutMillis);
        if (spec.startsWith("https://")) return new HttpsSink(new URL(spec), timeoutMillis);
        throw new IOException("unknown sink '" + spec
                + "' (stdout, stderr, file:PATH, http://host:port/path, https://host:port/path)");
    }

    static byte[] bytes(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) sb.append(line).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes straight to the file descriptor rather than System.out, which the application may have replaced or be
     * holding a lock on.
     */
    final class StreamSink implements Sink {
        private final OutputStream out;
        private final String name;

        StreamSink(OutputStream out, String name) {
            this.out = out;
            this.name = name;
        }

        @Override
        public void write(List<String> lines, long deadlineNanos) throws IOException {
            out.write(bytes(lines));
            out.flush();
        }

        @Override
        public String describe() {
            return name;
        }
    }

    /**
     * POSTs each batch as JSON lines over a non-blocking socket: connect, request and the response's status line each
     * wait in a selector until the deadline, then the socket is closed. A blocking socket cannot bound a write (its
     * SO_TIMEOUT covers reads only): a peer that accepts and never reads would hold the writer forever.
     */
    final class HttpSink implements Sink {
        private final URL url;
        private final String host;
        private final int port;
        private final byte[] head;
        private final long timeoutMillis;
        private Selector selector;

        HttpSink(URL url, long timeoutMillis) {
            this.url = url;
            this.timeoutMillis = timeoutMillis;
            this.host = url.getHost();
            this.port = url.getPort() < 0 ? 80 : url.getPort();
            this.head = head(url, host, port);
        }

        /** The request up to the Content-Length's value, shared with {@link HttpsSink}. */
        static byte[] head(URL url, String host, int port) {
            String path = url.getFile().isEmpty() ? "/" : url.getFile();
            return ("POST " + path + " HTTP/1.1\r\nHost: " + host + (url.getPort() < 0 ? "" : ":" + port)
                            + "\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\nContent-Length: ")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        /** The whole request, ready to write (position 0, backed by an array of exactly its length). */
        static ByteBuffer request(byte[] head, byte[] body) {
            byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer request = ByteBuffer.allocate(head.length + length.length + body.length);
            request.put(head).put(length).put(body);
            request.flip();
            return request;
        }

        /** The status code of a response's status line ({@code HTTP/1.1 200 OK}), -1 if it is not one. */
        static int statusCode(String line) {
            String[] parts = line.trim().split(" ");
            try {
                return parts.length < 2 || !parts[0].startsWith("HTTP/") ? -1 : Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public String describe() {
            return url.toString();
        }

        @Override
        public void write(List<String> lines, long deadlineNanos) throws IOException {
            byte[] body = bytes(lines);
            long now = System.nanoTime();
            long deadline = Math.min(deadlineNanos, now + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            long connectBy = Math.min(deadline, now + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MILLIS));
            if (selector == null) selector = Selector.open();
            try (SocketChannel channel = SocketChannel.open()) {
                channel.configureBlocking(false);
                SelectionKey key = channel.register(selector, 0);
                try {
                    if (!channel.connect(new InetSocketAddress(host, port))) {
                        await(key, SelectionKey.OP_CONNECT, connectBy, "connecting");
                        channel.finishConnect();
                    }
                    ByteBuffer request = request(head, body);
                    while (request.hasRemaining()) {
                        if (channel.write(request) == 0) await(key, SelectionKey.OP_WRITE, deadline, "writing");
                    }
                    int status = status(channel, key, deadline);
                    if (status / 100 != 2) throw new IOException("HTTP " + status + " from " + url);
                } finally {
                    key.cancel();
                    selector.selectNow(); // deregisters the cancelled key before the channel closes
                }
            }
        }

        private void await(SelectionKey key, int op, long deadline, String doing) throws IOException {
            key.interestOps(op);
            for (; ; ) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) throw new IOException("timed out " + doing + " (" + url + ")");
                selector.select(left);
                if (selector.selectedKeys().remove(key)) return;
            }
        }

        /** Reads up to the end of the response's status line ({@code HTTP/1.1 200 OK}). */
        private int status(SocketChannel channel, SelectionKey key, long deadline) throws IOException {
            ByteBuffer in = ByteBuffer.allocate(256);
            for (; ; ) {
                int n = channel.read(in);
                if (n < 0) throw new IOException("connection closed before a response (" + url + ")");
                if (n == 0) {
                    await(key, SelectionKey.OP_READ, deadline, "reading the response");
                    continue;
                }
                String text = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
                int end = text.indexOf('\n');
                if (end < 0 && in.hasRemaining()) continue;
                return statusCode(end < 0 ? text : text.substring(0, end));
            }
        }
    }

    /**
     * HTTPS: the same request as {@link HttpSink}, over a TLS socket layered on a plain socket this sink owns. A
     * blocking TLS write has no timeout, and closing the TLS socket from another thread does not free it (the close
     * waits for the lock the blocked writer holds, JDK 17 and 25): a {@link Deadline} thread closes the plain socket
     * underneath instead, which fails the blocked write, handshake or read at once. Trust is the JDK default
     * ({@code SSLSocketFactory.getDefault()}: the {@code javax.net.ssl.trustStore} properties or cacerts), with the
     * host name checked as HttpsURLConnection does.
     */
    final class HttpsSink implements Sink {
        private final URL url;
        private final String host;
        private final int port;
        private final byte[] head;
        private final long timeoutMillis;
        private volatile Object agentKey;
        private Deadline deadline;

        HttpsSink(URL url, long timeoutMillis) {
            this.url = url;
            this.timeoutMillis = timeoutMillis;
            this.host = url.getHost();
            this.port = url.getPort() < 0 ? 443 : url.getPort();
            this.head = HttpSink.head(url, host, port);
        }

        @Override
        public String describe() {
            return url.toString();
        }

        @Override
        public void ownThreads(Object agentKey) {
            this.agentKey = agentKey;
        }

        @Override
        public void write(List<String> lines, long deadlineNanos) throws IOException {
            byte[] body = bytes(lines);
            long now = System.nanoTime();
            long by = Math.min(deadlineNanos, now + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            long connectMillis = Math.min(CONNECT_TIMEOUT_MILLIS, TimeUnit.NANOSECONDS.toMillis(by - now));
            if (connectMillis <= 0) throw new IOException("timed out before connecting (" + url + ")");
            // Created at the first write, not at startup: nothing new on the agent's start path.
            if (deadline == null) deadline = Deadline.start(agentKey);
            String doing = "connecting";
            Socket plain = new Socket();
            deadline.arm(plain, by);
            try {
                plain.connect(new InetSocketAddress(host, port), (int) connectMillis);
                doing = "in the TLS handshake";
                SSLSocket tls = (SSLSocket)
                        ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, host, port, true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                doing = "writing";
                OutputStream out = tls.getOutputStream();
                out.write(HttpSink.request(head, body).array());
                out.flush();
                doing = "reading the response";
                int status = status(tls.getInputStream());
                if (status / 100 != 2) throw new IOException("HTTP " + status + " from " + url);
                doing = "closing";
                tls.close();
            } catch (IOException e) {
                if (deadline.disarm()) throw new IOException("timed out " + doing + " (" + url + ")", e);
                throw e;
            } finally {
                deadline.disarm();
                plain.close();
            }
        }

        /** Reads up to the end of the response's status line. */
        private int status(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while (line.length() < 256 && (c = in.read()) >= 0 && c != '\n') line.append((char) c);
            if (line.length() == 0) throw new IOException("connection closed before a response (" + url + ")");
            return HttpSink.statusCode(line.toString());
        }
    }

    /**
     * Closes the plain socket under an HTTPS write that passed its deadline. One daemon thread per sink, started at
     * the first HTTPS write and the agent's own ({@code Inlay.ownThread}) when the sink thread started (not when a
     * JVM exiting during startup writes from its shutdown hook); it only waits and closes a socket.
     */
    final class Deadline extends Thread {
        private final Object agentKey;
        private Socket socket;
        private long deadlineNanos;
        private boolean fired;

        private Deadline(Object agentKey) {
            super("inlay-sink-deadline");
            this.agentKey = agentKey;
            setDaemon(true);
        }

        static Deadline start(Object agentKey) {
            Deadline d = new Deadline(agentKey);
            d.start();
            return d;
        }

        synchronized void arm(Socket socket, long deadlineNanos) {
            this.socket = socket;
            this.deadlineNanos = deadlineNanos;
            this.fired = false;
            notifyAll();
        }

        /** @return whether the deadline closed the socket */
        synchronized boolean disarm() {
            socket = null;
            return fired;
        }

        @Override
        public void run() {
            if (agentKey != null) Inlay.ownThread(agentKey);
            synchronized (this) {
                for (; ; ) {
                    try {
                        if (socket == null) {
                            wait();
                            continue;
                        }
                        long left = deadlineNanos - System.nanoTime();
                        if (left > 0) {
                            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                            continue;
                        }
                        fired = true;
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // closed is closed
                        }
                        socket = null;
                    } catch (InterruptedException e) {
                        // not stopped by anyone: HTTPS writes would have no deadline again
                    }
                }
            }
        }
    }
}
