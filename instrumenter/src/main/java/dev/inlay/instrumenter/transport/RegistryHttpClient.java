package dev.inlay.instrumenter.transport;

import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Request;
import com.google.cloud.tools.jib.http.Response;
import com.google.cloud.tools.jib.http.ResponseException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Field;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/**
 * Jib's HTTP client with inlay's retry policy instead of Jib's. Jib retries every I/O failure with exponential back-off
 * for about a minute, silently: an unknown host or a refused port (a typo'd registry, no network) took 50-60 s to
 * fail. Here those fail at once; reads (GET, HEAD) that failed in a way that may pass on a second try (a timeout, a
 * reset connection, HTTP 429/5xx) are retried twice, each retry announced on stderr. Uploads are not retried: their
 * bodies are streams.
 */
final class RegistryHttpClient extends FailoverHttpClient {
    static final int ATTEMPTS = 3;
    private static final long FIRST_DELAY_MILLIS = 1_000;

    private final Consumer<String> warnings;

    RegistryHttpClient(boolean allowPlainHttp, boolean sendCredentialsOverHttp, Consumer<String> warnings) {
        super(allowPlainHttp, sendCredentialsOverHttp, e -> {});
        this.warnings = warnings;
        disableJibRetries();
    }

    /** Jib's public constructor always enables its own retries; the switch is a private field. */
    private void disableJibRetries() {
        try {
            Field f = FailoverHttpClient.class.getDeclaredField("enableRetry");
            f.setAccessible(true);
            f.setBoolean(this, false);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Jib version has no FailoverHttpClient.enableRetry: " + e, e);
        }
    }

    @Override
    public Response call(String method, URL url, Request request) throws IOException {
        long delay = FIRST_DELAY_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return super.call(method, url, request);
            } catch (IOException e) {
                boolean idempotent = method.equals("GET") || method.equals("HEAD");
                if (attempt >= ATTEMPTS || !idempotent || !worthRetrying(e)) throw e;
                warnings.accept(method + " " + url + " failed (" + brief(e) + "); retrying in " + delay / 1000
                        + " s (attempt " + (attempt + 1) + " of " + ATTEMPTS + ")");
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                delay *= 2;
            }
        }
    }

    /**
     * A failure that a second try may not meet: a timeout, a reset or closed connection, a registry that is busy or
     * failing (429, 5xx). Not: a name that does not resolve, a refused or unroutable connection, a connect timeout,
     * a TLS handshake (certificate) failure, any other HTTP answer.
     */
    static boolean worthRetrying(IOException e) {
        if (e instanceof ResponseException r) {
            int s = r.getStatusCode();
            return s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
        }
        if (e instanceof UnknownHostException
                || e instanceof ConnectException
                || e instanceof NoRouteToHostException
                || e instanceof SSLException) {
            return false;
        }
        // Apache's ConnectTimeoutException: the host did not answer at all; a read timeout is worth another try.
        if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) return false;
        return true;
    }

    static String brief(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
