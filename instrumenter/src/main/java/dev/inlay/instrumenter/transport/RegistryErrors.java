package dev.inlay.instrumenter.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.inlay.instrumenter.image.Json;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/**
 * Registry failures as one line that says what happened and what to do, without the registry's raw JSON body: image not
 * found, unauthorized, unknown host, connection refused, TLS. Registry error codes are the distribution spec's
 * ({@code MANIFEST_UNKNOWN}, {@code NAME_UNKNOWN}, {@code UNAUTHORIZED}, {@code DENIED}, ...).
 */
final class RegistryErrors {
    private RegistryErrors() {}

    /**
     * @param what what was being done ("pull", "push", "blob sha256:..."); {@code credentials} where the credentials
     * came from (or "none found ...")
     */
    static IOException explain(Throwable failure, ImageReference ref, String what, String credentials) {
        String registry = ref.getRegistry();
        String image = ref.toString();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Explained done) return done; // from another registry, a source read while pushing
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RegistryCredentialsNotSentException) {
                return new Explained(
                        "credentials for " + registry + " are not sent over plain HTTP: " + registry
                                + " is not this machine; use HTTPS, or add --send-credentials-over-http to --insecure-registry "
                                + registry,
                        failure);
            }
            if (t instanceof RegistryAuthorization.TokenRefusedException)
                return unauthorized(image, registry, null, credentials, failure);
            // A RegistryUnauthorizedException carries the ResponseException as its cause: the loop reaches it next.
            if (t instanceof RegistryUnauthorizedException && !(t.getCause() instanceof ResponseException)) {
                return unauthorized(image, registry, null, credentials, failure);
            }
            ResponseException response = t instanceof ResponseException r ? r : null;
            if (response != null) {
                int status = response.getStatusCode();
                String code = errorCode(response.getContent());
                if (status == 401 || status == 403) {
                    if (response.requestAuthorizationCleared()) {
                        return new Explained(
                                "unauthorized: " + image
                                        + "; the credentials were not sent because the connection is plain HTTP"
                                        + " and " + registry
                                        + " is not this machine: use HTTPS, or --send-credentials-over-http",
                                failure);
                    }
                    return unauthorized(image, registry, code, credentials, failure);
                }
                if (status == 404) {
                    String c = code == null ? "" : " (" + code + ")";
                    if (what.startsWith("blob "))
                        return new Explained(what + " of " + image + " not found" + c, failure);
                    return new Explained("image not found: " + image + c, failure);
                }
                return new Explained(
                        image + ": " + what + ": the registry answered HTTP " + status
                                + (code == null ? "" : " (" + code + ")"),
                        failure);
            }
            if (t instanceof UnknownHostException) {
                String hint = registry.equals("registry-1.docker.io")
                        ? " (an image name without a registry means Docker Hub: write HOST[:PORT]/REPO:TAG for another registry)"
                        : "";
                return new Explained(registry + ": unknown host" + hint, failure);
            }
            if (t instanceof NoRouteToHostException) {
                return new Explained(registry + ": no route to host (" + t.getMessage() + ")", failure);
            }
            if (t instanceof ConnectException) {
                String m = String.valueOf(t.getMessage());
                return new Explained(
                        m.contains("refused")
                                ? registry + ": connection refused (no registry listens there)"
                                : registry + ": cannot connect: " + m,
                        failure);
            }
            if (t instanceof InterruptedIOException) {
                return new Explained(registry + ": timed out: " + t.getMessage(), failure);
            }
            if (t instanceof SSLException) {
                return new Explained(
                        registry + ": TLS failed: " + t.getMessage()
                                + " (a registry with a self-signed certificate: --insecure-registry " + registry + ")",
                        failure);
            }
        }
        if (failure instanceof IOException io) return io;
        if (failure instanceof RuntimeException r) throw r; // not a registry failure: a bad image, a bug
        return new Explained(image + ": " + what + " failed: " + failure.getMessage(), failure);
    }

    /** A failure already put into words; an outer layer passes it on unchanged. */
    static final class Explained extends IOException {
        private static final long serialVersionUID = 1L;

        Explained(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static IOException unauthorized(
            String image, String registry, String code, String credentials, Throwable failure) {
        String refused = credentials.startsWith(RegistryAuth.NONE_FOUND)
                ? " (credentials: " + credentials + ")"
                : " (the registry refused the credentials from " + credentials + ")";
        return new Explained(
                "unauthorized: " + image + (code == null ? "" : " (" + code + ")") + "; log in with 'podman login "
                        + registry + "' (or docker login), or pass --authfile FILE or --creds USER:PASS" + refused,
                failure);
    }

    /** The first {@code errors[].code} of a distribution-spec error body; null when the body is not one. */
    static String errorCode(String body) {
        if (body == null || body.isBlank()) return null;
        try {
            JsonNode errors = Json.MAPPER.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                String code = errors.get(0).path("code").asText("");
                return code.matches("[A-Z_]{1,64}") ? code : null;
            }
        } catch (IOException | RuntimeException notJson) {
            // an HTML page from a proxy, say: the status says enough
        }
        return null;
    }
}
