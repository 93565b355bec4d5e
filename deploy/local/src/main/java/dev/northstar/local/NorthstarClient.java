package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client of Northstar's public API, as a producer or a dashboard would use it. */
public final class NorthstarClient {

    /** A status and a parsed JSON body (null when the body was empty or not JSON). */
    public record Answer(int status, JsonNode body, String text) {
    }

    /** A project's id and its keys, as shown once by the admin API. */
    public record ProjectKeys(String projectId, String writeKey, String readKey) {
        @Override
        public String toString() {
            return "ProjectKeys[projectId=" + projectId + ", keys=<redacted>]";
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI ingest;
    private final URI insights;

    public NorthstarClient(URI ingest, URI insights) {
        this.ingest = ingest;
        this.insights = insights;
    }

    /** Ingest's base URL. */
    public URI ingest() {
        return ingest;
    }

    public Answer createProject(String adminToken, String projectId, String name) {
        return post(ingest.resolve("/v1/admin/projects"), adminToken,
                json(Map.of("projectId", projectId, "name", name)));
    }

    /** Erases a person (a userId or an anonymousId) from a project. */
    public Answer eraseActor(String adminToken, String projectId, String actorId) {
        return send(HttpRequest.newBuilder(ingest.resolve("/v1/admin/projects/" + projectId + "/users/"
                        + java.net.URLEncoder.encode(actorId, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")))
                .header("Authorization", "Bearer " + adminToken).DELETE());
    }

    /** A PUT to ingest's admin API ({@code /v1/admin/projects/...}) with a JSON body. */
    public Answer adminPut(String adminToken, String path, String bodyJson) {
        return send(HttpRequest.newBuilder(ingest.resolve(path))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(bodyJson)));
    }

    /** A request to another service's admin API ({@code service}: its base URI), with an optional JSON body. */
    public Answer admin(URI service, String method, String path, String adminToken, String bodyJson) {
        var request = HttpRequest.newBuilder(service.resolve(path)).header("Authorization", "Bearer " + adminToken);
        if (bodyJson != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.method(method, bodyJson == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(bodyJson)));
    }

    public Answer postEvents(String writeKey, String batchJson) {
        return post(ingest.resolve("/v1/events"), writeKey, batchJson);
    }

    /** The same with extra request headers (a W3C {@code traceparent}, say). */
    public Answer postEvents(String writeKey, String batchJson, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(ingest.resolve("/v1/events"))
                .header("Authorization", "Bearer " + writeKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batchJson));
        headers.forEach(request::header);
        return send(request);
    }

    public Answer get(String path, String readKey) {
        return send(HttpRequest.newBuilder(insights.resolve(path))
                .header("Authorization", "Bearer " + readKey).GET());
    }

    private Answer post(URI uri, String token, String body) {
        return send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = response.body().isEmpty() ? null : NorthstarJson.mapper().readTree(response.body());
            } catch (IOException e) {
                // not JSON: keep the text
            }
            return new Answer(response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Request to " + request.build().uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object value) {
        try {
            return NorthstarJson.mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
