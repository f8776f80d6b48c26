package dev.inlay.runtime;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
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
     * Writes the lines, giving up at {@code deadlineNanos} ({@link System#nanoTime()}) where the sink can: an HTTP
     * sink can, a file or a pipe cannot (a write to a regular file does not stall; a full disk fails at once).
     */
    void write(List<String> lines, long deadlineNanos) throws IOException;

    /** What the sink is, for messages on stderr. */
    String describe();

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
        throw new IOException("unknown sink '" + spec + "' (stdout, stderr, file:PATH, http://host:port/path)");
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
            String path = url.getFile().isEmpty() ? "/" : url.getFile();
            this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + (url.getPort() < 0 ? "" : ":" + port)
                    + "\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\nContent-Length: ")
                    .getBytes(StandardCharsets.ISO_8859_1);
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
                    ByteBuffer request = ByteBuffer.allocate(head.length + 16 + body.length);
                    request.put(head).put((body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)).put(body);
                    request.flip();
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
            for (;;) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) throw new IOException("timed out " + doing + " (" + url + ")");
                selector.select(left);
                if (selector.selectedKeys().remove(key)) return;
            }
        }

        /** Reads up to the end of the response's status line ({@code HTTP/1.1 200 OK}). */
        private int status(SocketChannel channel, SelectionKey key, long deadline) throws IOException {
            ByteBuffer in = ByteBuffer.allocate(256);
            for (;;) {
                int n = channel.read(in);
                if (n < 0) throw new IOException("connection closed before a response (" + url + ")");
                if (n == 0) {
                    await(key, SelectionKey.OP_READ, deadline, "reading the response");
                    continue;
                }
                String text = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
                int end = text.indexOf('\n');
                if (end < 0 && in.hasRemaining()) continue;
                String[] parts = (end < 0 ? text : text.substring(0, end)).trim().split(" ");
                try {
                    return parts.length < 2 || !parts[0].startsWith("HTTP/") ? -1 : Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
    }

    /**
     * HTTPS through the JDK's HttpURLConnection (TLS over a non-blocking socket would need an SSLEngine loop): connect
     * and response are bounded by timeouts, the request body's write is not. A peer that stalls it holds the sink
     * thread only: nothing else in the agent waits on that thread (drops are counted, shutdown does not wait).
     */
    final class HttpsSink implements Sink {
        private final URL url;
        private final int timeoutMillis;

        HttpsSink(URL url, long timeoutMillis) {
            this.url = url;
            this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
        }

        @Override
        public String describe() {
            return url.toString();
        }

        @Override
        public void write(List<String> lines, long deadlineNanos) throws IOException {
            byte[] body = bytes(lines);
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            try {
                connection.setRequestMethod("POST");
                connection.setConnectTimeout((int) Math.min(CONNECT_TIMEOUT_MILLIS, timeoutMillis));
                connection.setReadTimeout(timeoutMillis);
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                connection.setRequestProperty("Content-Type", "application/x-ndjson");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
                int status = connection.getResponseCode();
                connection.getInputStream().close();
                if (status / 100 != 2) throw new IOException("HTTP " + status + " from " + url);
            } finally {
                connection.disconnect();
            }
        }
    }
}
