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
    @Test
    void wrongNamesRefusalsAndCertificatesAreFinal() {
        for (IOException e : List.<IOException>of(new UnknownHostException("nosuchhost.invalid"), new ConnectException("Connection refused"),
                new NoRouteToHostException("No route to host"), new SSLHandshakeException("PKIX path building failed"),
                new InterruptedIOException("connect timed out"))) {
            assertFalse(RegistryHttpClient.worthRetrying(e), e.toString());
        }
    }

    @Test
    void timeoutsAndBrokenConnectionsAreRetried() {
        for (IOException e : List.<IOException>of(new SocketTimeoutException("Read timed out"), new SocketException("Connection reset"),
                new EOFException("unexpected end of stream"))) {
            assertTrue(RegistryHttpClient.worthRetrying(e), e.toString());
        }
    }
}
