package dev.inlay.instrumenter.transport;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures are worth a second try (the HTTP answers are covered against a real registry). */
class RegistryHttpClientTest {
    /**
     * Jib's retries are switched off through its private {@code FailoverHttpClient.enableRetry} (its public constructor
     * always turns them on, for about a minute of silent back-off per failure): this fails when a Jib upgrade renames
     * the field, changes its type, or stops it meaning "retry" (on by default), rather than letting inlay's retry
     * policy quietly stack on Jib's.
     */
    @Test
    void jibsRetrySwitchIsThePrivateFieldInlayTurnsOff() throws ReflectiveOperationException {
        java.lang.reflect.Field f =
                com.google.cloud.tools.jib.http.FailoverHttpClient.class.getDeclaredField("enableRetry");
        assertTrue(f.getType() == boolean.class, f.toString());
        f.setAccessible(true);
        assertTrue(
                f.getBoolean(new com.google.cloud.tools.jib.http.FailoverHttpClient(false, false, e -> {})),
                "Jib's public constructor turns its retries on");
        assertFalse(f.getBoolean(new RegistryHttpClient(false, false, m -> {})), "inlay's client turns them off");
    }

    @Test
    void wrongNamesRefusalsAndCertificatesAreFinal() {
        for (IOException e : List.<IOException>of(
                new UnknownHostException("nosuchhost.invalid"),
                new ConnectException("Connection refused"),
                new NoRouteToHostException("No route to host"),
                new SSLHandshakeException("PKIX path building failed"),
                new InterruptedIOException("connect timed out"))) {
            assertFalse(RegistryHttpClient.worthRetrying(e), e.toString());
        }
    }

    @Test
    void timeoutsAndBrokenConnectionsAreRetried() {
        for (IOException e : List.<IOException>of(
                new SocketTimeoutException("Read timed out"),
                new SocketException("Connection reset"),
                new EOFException("unexpected end of stream"))) {
            assertTrue(RegistryHttpClient.worthRetrying(e), e.toString());
        }
    }
}
