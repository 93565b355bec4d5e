package dev.northstar.model.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;

/**
 * A project's webhook, on {@link dev.northstar.model.topic.Topics#WEBHOOKS} (key {@code projectId/id}; a
 * tombstone deletes it). Only the notifier's principal reads that topic: it holds the signing secret.
 *
 * @param secret the HMAC-SHA256 key deliveries are signed with (shown once, when the webhook is created)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Webhook(String id, String projectId, String url, List<AlertType> events, String secret,
                      Instant createdAt) {
    public Webhook {
        events = List.copyOf(events);
    }

    public boolean wants(AlertType type) {
        return events.contains(type);
    }
}
