package dev.inlay.instrumenter.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.http.Authorization;
import dev.inlay.instrumenter.image.Json;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The authorization for inlay's own registry requests (raw manifests: their digest is computed over their bytes, which
 * Jib's manifest pull parses away), obtained from the registry's own challenge as the distribution spec's token
 * authentication describes it: {@code GET /v2/}; a {@code Basic} challenge takes the credentials as they are, a
 * {@code Bearer} one a token from its realm for {@code repository:REPO:pull} (asked with the credentials, or with
 * the OAuth2 refresh token a credential helper may hold). Jib obtains its own for its {@code RegistryClient} and keeps
 * it private. These two requests use the JDK's HTTP client under the rules {@link RegistryAccess} sets for Jib's: HTTPS
 * first; plain HTTP, and TLS without certificate checks, only for a registry allowed them; credentials over plain HTTP
 * only where allowed too.
 */
final class RegistryAuthorization {
    /** Jib's client id for OAuth2 refresh-token grants, so that a registry sees the same client either way. */
    private static final String OAUTH2_CLIENT_ID = "jib.da031fe481a93ac107a95a96462358f9";

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private RegistryAuthorization() {}

    /** {@code null}: the registry asks for nothing (or for a scheme inlay cannot answer: the request then says why). */
    static Authorization forPull(
            RegistryAccess access, String registry, String repository, Optional<Credential> credential)
            throws IOException {
        return forScope(access, registry, "repository:" + repository + ":pull", credential);
    }

    /**
     * As {@link #forPull}, for any token scope ({@code registry:catalog:*} to list a registry's repositories).
     * {@code null}: the registry asks for nothing, or for a scheme inlay cannot answer.
     */
    static Authorization forScope(RegistryAccess access, String registry, String scope, Optional<Credential> credential)
            throws IOException {
        boolean insecureAllowed = access.allowsPlainHttp(registry);
        HttpClient client = client(insecureAllowed);
        HttpResponse<byte[]> ping;
        try {
            ping = send(client, HttpRequest.newBuilder(URI.create("https://" + registry + "/v2/")));
        } catch (SSLException | ConnectException e) {
            if (!insecureAllowed) throw e;
            ping = send(
                    client, HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/"))); // a plain HTTP registry
        }
        if (ping.statusCode() != 401) return null;
        String challenge = ping.headers().firstValue("WWW-Authenticate").orElse(null);
        if (challenge == null) return null;
        Challenge c = Challenge.parse(challenge);
        if (c.scheme.equals("basic")) {
            return credential
                    .map(cr -> Authorization.fromBasicCredentials(cr.getUsername(), cr.getPassword()))
                    .orElse(null);
        }
        if (!c.scheme.equals("bearer")) return null;
        String realm = c.params.get("realm");
        if (realm == null || realm.isEmpty())
            throw new IOException(registry + " asks for a bearer token but names no realm to get it from");
        URI realmUri = URI.create(realm);
        boolean plainHttp = "http".equalsIgnoreCase(realmUri.getScheme());
        if (plainHttp && !insecureAllowed) {
            throw new SSLException("the token service of " + registry + " is plain HTTP (" + realm
                    + "), not allowed for " + registry + " (--insecure-registry)");
        }
        Optional<Credential> sent =
                plainHttp && !access.sendsCredentialsOverHttp(registry) ? Optional.empty() : credential;
        String service = c.params.get("service");
        HttpRequest.Builder token;
        if (sent.isPresent() && sent.get().isOAuth2RefreshToken()) {
            String form = "grant_type=refresh_token&client_id=" + encode(OAUTH2_CLIENT_ID) + "&scope=" + encode(scope)
                    + (service == null ? "" : "&service=" + encode(service))
                    + "&refresh_token=" + encode(sent.get().getPassword());
            token = HttpRequest.newBuilder(realmUri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            token = HttpRequest.newBuilder(URI.create(realm + (realm.contains("?") ? "&" : "?")
                    + (service == null ? "" : "service=" + encode(service) + "&") + "scope=" + encode(scope)));
            sent.ifPresent(cr -> token.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((cr.getUsername() + ":" + cr.getPassword())
                                            .getBytes(StandardCharsets.UTF_8))));
        }
        HttpResponse<byte[]> answer = send(client, token);
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new TokenRefusedException(registry, answer.statusCode(), sent.isPresent());
        }
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("the token service of " + registry + " answered HTTP " + answer.statusCode());
        }
        return Authorization.fromBearerToken(tokenOf(answer.body(), registry));
    }

    /** The token service refused (or needs) the credentials: reported as the registry refusing them. */
    static final class TokenRefusedException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        TokenRefusedException(String registry, int status, boolean withCredentials) {
            super("the token service of " + registry + " answered HTTP " + status
                    + (withCredentials ? " to the credentials" : " without credentials"));
            this.status = status;
        }
    }

    private static HttpResponse<byte[]> send(HttpClient client, HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<byte[]> r = client.send(
                    request.header("User-Agent", "inlay").timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.body() != null && r.body().length > Json.MAX_DOCUMENT_BYTES) {
                throw new IOException(r.uri() + ": an answer larger than " + Json.MAX_DOCUMENT_BYTES + " bytes");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: " + request.build().uri());
        }
    }

    /** The HTTP client inlay's own registry requests use: TLS without checks only where plain HTTP is allowed. */
    static HttpClient client(boolean insecureAllowed) throws IOException {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (insecureAllowed) {
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new javax.net.ssl.TrustManager[] {new TrustingEverything()}, null);
                b.sslContext(tls);
            } catch (GeneralSecurityException e) {
                throw new IOException("no TLS: " + e, e);
            }
        }
        return b.build();
    }

    /**
     * TLS without certificate or host name checks, as Jib's insecure failover gives a registry named with
     * {@code --insecure-registry} or on this machine (an extended trust manager: the JDK checks the host name in it).
     */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static String tokenOf(byte[] answer, String registry) throws IOException {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            throw new IOException("the token service of " + registry + " answered no JSON: " + e.getMessage(), e);
        }
        String token = body == null ? null : Json.text(body, "token");
        if (token == null || token.isEmpty()) token = body == null ? null : Json.text(body, "access_token");
        if (token == null || token.isEmpty())
            throw new IOException("the token service of " + registry + " answered without a token");
        return token;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code WWW-Authenticate: SCHEME k="v", k2=v2}: the scheme in lower case and its parameters. */
    record Challenge(String scheme, Map<String, String> params) {
        static Challenge parse(String header) {
            String h = header.trim();
            int space = h.indexOf(' ');
            String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
            Map<String, String> params = new LinkedHashMap<>();
            int i = space < 0 ? h.length() : space + 1;
            while (i < h.length()) {
                while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) i++;
                int eq = h.indexOf('=', i);
                if (eq < 0) break;
                String key = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
                StringBuilder value = new StringBuilder();
                i = eq + 1;
                if (i < h.length() && h.charAt(i) == '"') {
                    for (i++; i < h.length() && h.charAt(i) != '"'; i++) {
                        if (h.charAt(i) == '\\' && i + 1 < h.length()) i++;
                        value.append(h.charAt(i));
                    }
                    i++; // the closing quote
                } else {
                    for (; i < h.length() && h.charAt(i) != ','; i++) value.append(h.charAt(i));
                }
                params.put(key, value.toString().trim());
            }
            return new Challenge(scheme, params);
        }
    }
}
