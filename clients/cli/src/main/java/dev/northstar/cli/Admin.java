package dev.northstar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Where ingest's admin API is and how to authenticate to it (a mixin of the commands that use it). */
final class Admin {

    @Option(names = "--ingest", description = "ingest's base URL (env NORTHSTAR_INGEST_URL; default http://localhost:8081)")
    String ingest = System.getenv().getOrDefault("NORTHSTAR_INGEST_URL", "http://localhost:8081");

    @Option(names = "--admin-token", description = "the admin token (env NORTHSTAR_ADMIN_TOKEN)")
    String token = System.getenv("NORTHSTAR_ADMIN_TOKEN");

    /** An answer: its status and body (null when not JSON). */
    record Answer(int status, JsonNode body, String text) {
        String detail() {
            return body != null && body.hasNonNull("detail") ? body.get("detail").asText() : "HTTP " + status + " " + text;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Answer call(String method, String path, String json) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the admin token is required: --admin-token or NORTHSTAR_ADMIN_TOKEN");
        }
        var request = HttpRequest.newBuilder(URI.create(ingest).resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = response.body().isEmpty() ? null : NorthstarJson.mapper().readTree(response.body());
            } catch (IOException notJson) {
                // kept as text
            }
            return new Answer(response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("ingest at " + ingest + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
