package dev.northstar.model.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A project's webhook, on {@link dev.northstar.model.topic.Topics#WEBHOOKS} (key {@code projectId/id}; a
 * tombstone deletes it). Only the notifier's principal reads that topic: it holds the signing secret.
 *
 * @param secret          the HMAC-SHA256 key deliveries are signed with (shown once, when the webhook is created
 *                        or its secret rotated), sealed by the notifier's key on the topic
 *                        ({@code sealed:v1:...}; plain text in records written before 2026-12-08)
 * @param previousSecret  the secret before the last rotation, sealed likewise (deliveries carry its signature
 *                        too for a day after the rotation); absent when never rotated
 * @param secretRotatedAt when the secret was last rotated; absent when never
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Webhook(String id, String projectId, String url, List<AlertType> events, String secret,
                      Instant createdAt,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String previousSecret,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Instant secretRotatedAt) {
    public Webhook {
        events = List.copyOf(events);
    }

    /** A webhook whose secret was never rotated. */
    public Webhook(String id, String projectId, String url, List<AlertType> events, String secret, Instant createdAt) {
        this(id, projectId, url, events, secret, createdAt, null, null);
    }

    /** The same webhook with a new secret, the current one kept as the previous. */
    public Webhook rotated(String newSecret, Instant at) {
        return new Webhook(id, projectId, url, events, newSecret, createdAt, secret, at);
    }

    public boolean wants(AlertType type) {
        return events.contains(type);
    }
}
