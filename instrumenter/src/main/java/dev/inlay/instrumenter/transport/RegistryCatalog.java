package dev.inlay.instrumenter.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.http.Authorization;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a registry holds: its repositories ({@code GET /v2/_catalog}) and a repository's tags
 * ({@code GET /v2/NAME/tags/list}), page by page as the distribution spec's {@code Link} header says. Jib has no API
 * for either. Authorization is {@link RegistryAuthorization}'s, the one that answers the registry's challenge for
 * raw manifests, for the scope each list needs ({@code registry:catalog:*}, {@code repository:NAME:pull}). HTTPS
 * first; plain HTTP, and credentials over it, only where {@link RegistryAccess} allows them, as for every other
 * registry request.
 */
public final class RegistryCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int PAGE = 1000;
    /** Bounds a registry's answer: a catalog page of a thousand names is some tens of kilobytes. */
    private static final int MAX_PAGES = 10_000;

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final String registry;
    private final RegistryAccess access;
    private final HttpClient client;
    private final Optional<Credential> credential;
    private String scheme = "https";
    private final Map<String, String> tokens = new LinkedHashMap<>();

    public RegistryCatalog(String registry, RegistryAccess access) throws IOException {
        this.registry = registry;
        this.access = access;
        this.client = RegistryAuthorization.client(access.allowsPlainHttp(registry));
        this.credential = access.sourceAuth()
                .credential(
                        ImageReference.of(registry, "catalog", null),
                        RegistryAuth.Environment.current(),
                        w -> System.err.println("inlay: " + w))
                .credential();
    }

    /** Every repository of the registry, sorted as the registry lists them. */
    public List<String> repositories() throws IOException {
        return names("/v2/_catalog?n=" + PAGE, "repositories", "registry:catalog:*");
    }

    /** Every tag of {@code repository}. */
    public List<String> tags(String repository) throws IOException {
        return names("/v2/" + repository + "/tags/list?n=" + PAGE, "tags", "repository:" + repository + ":pull");
    }

    private List<String> names(String first, String field, String scope) throws IOException {
        List<String> names = new ArrayList<>();
        String path = first;
        for (int page = 0; path != null; page++) {
            if (page == MAX_PAGES)
                throw new IOException(registry + " lists more than " + MAX_PAGES + " pages of " + field);
            HttpResponse<byte[]> response = get(path, scope);
            if (response.statusCode() == 404 && field.equals("tags")) return names; // a repository without tags
            if (response.statusCode() != 200) {
                throw new IOException(
                        "GET " + registry + path + ": HTTP " + response.statusCode() + " " + brief(response.body()));
            }
            JsonNode list = JSON.readTree(response.body()).get(field);
            if (list != null && !list.isNull()) {
                if (!list.isArray())
                    throw new IOException("GET " + registry + path + ": \"" + field + "\" is not a list");
                for (JsonNode n : list) names.add(n.asText());
            }
            path = response.headers()
                    .firstValue("Link")
                    .map(RegistryCatalog::next)
                    .orElse(null);
        }
        return names;
    }

    static String next(String link) {
        Matcher m = NEXT.matcher(link);
        if (!m.find()) return null;
        String target = m.group(1);
        if (target.startsWith("http://") || target.startsWith("https://")) {
            URI u = URI.create(target);
            return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        }
        return target;
    }

    private HttpResponse<byte[]> get(String path, String scope) throws IOException {
        HttpResponse<byte[]> response = send(path, tokens.get(scope));
        if (response.statusCode() != 401) return response;
        String authorization = authorize(scope);
        if (authorization == null) return response;
        tokens.put(scope, authorization);
        return send(path, authorization);
    }

    private HttpResponse<byte[]> send(String path, String authorization) throws IOException {
        try {
            return send(URI.create(scheme + "://" + registry + path), authorization);
        } catch (SSLException | ConnectException e) {
            if (!scheme.equals("https") || !access.allowsPlainHttp(registry)) throw e;
            scheme = "http"; // a registry allowed plain HTTP that does not speak TLS
            return send(URI.create(scheme + "://" + registry + path), authorization);
        }
    }

    private HttpResponse<byte[]> send(URI uri, String authorization) throws IOException {
        if (authorization != null && uri.getScheme().equals("http") && !access.sendsCredentialsOverHttp(registry)) {
            throw new IOException(registry + " asks for credentials over plain HTTP, not allowed for it"
                    + " (--send-credentials-over-http)");
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().header("Accept", "application/json");
        if (authorization != null) request.header("Authorization", authorization);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The Authorization header the registry's challenge asks for this scope, or null (the 401 then says why). */
    private String authorize(String scope) throws IOException {
        Authorization auth = RegistryAuthorization.forScope(access, registry, scope, credential);
        return auth == null ? null : auth.getScheme() + " " + auth.getToken();
    }

    private static String brief(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).replace('\n', ' ');
        return s.isBlank() ? "" : "(" + s.strip() + ")";
    }
}
