package dev.inlay.runtime;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Where lines go. Only the agent's own thread writes to a sink, never an application thread. */
interface Sink {
    void write(List<String> lines) throws IOException;

    static Sink of(String spec) throws IOException {
        if (spec == null || spec.isEmpty() || spec.equals("stdout")) {
            return new StreamSink(new FileOutputStream(FileDescriptor.out));
        }
        if (spec.equals("stderr")) return new StreamSink(new FileOutputStream(FileDescriptor.err));
        if (spec.startsWith("file:")) return new StreamSink(new FileOutputStream(spec.substring(5), true));
        if (spec.startsWith("http://") || spec.startsWith("https://")) return new HttpSink(new URL(spec));
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

        StreamSink(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(List<String> lines) throws IOException {
            out.write(bytes(lines));
            out.flush();
        }
    }

    /** POSTs each batch as JSON lines. */
    final class HttpSink implements Sink {
        private final URL url;

        HttpSink(URL url) {
            this.url = url;
        }

        @Override
        public void write(List<String> lines) throws IOException {
            byte[] body = bytes(lines);
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            try {
                connection.setRequestMethod("POST");
                connection.setConnectTimeout(2000);
                connection.setReadTimeout(5000);
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
