package dev.inlay.examples.docservice;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The classification service every uploaded document is sent to; it answers with a comma-separated tag list. */
final class UpstreamClient {
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI classify;

    UpstreamClient(URI upstream) {
        this.classify = upstream.resolve("/classify");
    }

    String classify(String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(classify)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("classification service answered " + response.statusCode());
        }
        return response.body().strip();
    }
}
