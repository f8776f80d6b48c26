package dev.inlay.examples.docservice;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers over the JDK's HTTP server: query parameters, text responses, and an access log. */
final class Http {
    private static final Logger ACCESS = LogManager.getLogger("access");

    private Http() {}

    /** A handler that may fail; failures become 4xx/5xx responses instead of a dropped connection. */
    interface Endpoint {
        void handle(HttpExchange exchange) throws Exception;
    }

    static final class Status extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Status(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    static HttpHandler handler(Endpoint endpoint) {
        return exchange -> {
            try (exchange) {
                // Logging the client's User-Agent is what every access log does; with log4j 2.14.1 it is also
                // where ${jndi:...} lookups get evaluated.
                ACCESS.info(
                        "{} {} ua={}",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI(),
                        exchange.getRequestHeaders().getFirst("User-Agent"));
                try {
                    endpoint.handle(exchange);
                } catch (Status s) {
                    text(exchange, s.code, s.getMessage() + "\n");
                } catch (Exception | LinkageError e) {
                    ACCESS.warn("request failed: {}", e.toString());
                    text(exchange, 500, "error: " + e + "\n");
                }
            }
        };
    }

    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) return params;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(
                    URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    static String required(HttpExchange exchange, String name) throws Status {
        String value = query(exchange).get(name);
        if (value == null || value.isEmpty()) throw new Status(400, "missing parameter '" + name + "'");
        return value;
    }

    static void requireMethod(HttpExchange exchange, String... methods) throws Status {
        for (String m : methods) {
            if (m.equals(exchange.getRequestMethod())) return;
        }
        throw new Status(405, "method " + exchange.getRequestMethod() + " not allowed");
    }

    static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    static void json(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Minimal JSON string quoting for the few JSON answers this service gives. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
