package dev.northstar.model.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One alert for one webhook and every attempt to deliver it, on
 * {@link dev.northstar.model.topic.Topics#WEBHOOK_DELIVERIES} (key {@code projectId/webhookId/id}),
 * rewritten after each attempt.
 *
 * @param id            the alert's id: the idempotency id the receiver sees on every attempt
 * @param body          the exact JSON body sent on every attempt
 * @param nextAttemptAt when the next attempt is due (null once delivered or given up)
 * @param attempts      oldest first, at most {@link #MAX_ATTEMPTS_KEPT} (the first and the latest ones)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookDelivery(String id, String webhookId, String projectId, String feature, AlertType type,
                              Status status, Instant createdAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Instant nextAttemptAt,
                              int attemptCount, List<Attempt> attempts, String body) {

    public static final int MAX_ATTEMPTS_KEPT = 20;

    public WebhookDelivery {
        attempts = List.copyOf(attempts);
    }

    /**
     * One attempt.
     *
     * @param status the HTTP status answered, 0 when there was none (refused, timed out)
     * @param error  what went wrong, null when the receiver answered 2xx
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attempt(Instant at, int status, @JsonInclude(JsonInclude.Include.NON_NULL) String error,
                          long millis) {
    }

    public enum Status {
        /** Not delivered yet; {@code nextAttemptAt} says when it is tried. */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Retried for the whole retry period (or the webhook was deleted); no more attempts. */
        GAVE_UP;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** This delivery after {@code attempt}, in {@code status}, next tried at {@code next} (null if none). */
    public WebhookDelivery after(Attempt attempt, Status status, Instant next) {
        List<Attempt> kept = new ArrayList<>(attempts);
        if (kept.size() == MAX_ATTEMPTS_KEPT) {
            kept.remove(1);   // keep the first attempt and the latest ones
        }
        kept.add(attempt);
        return new WebhookDelivery(id, webhookId, projectId, feature, type, status, createdAt, next,
                attemptCount + 1, kept, body);
    }
}
