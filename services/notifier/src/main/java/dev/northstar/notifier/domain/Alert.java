package dev.northstar.notifier.domain;

import dev.northstar.model.notify.AlertType;

import java.time.Instant;
import java.util.List;

/**
 * Something a project's webhooks are told, as its JSON body: {@code text} is what Slack (and
 * compatible chat webhooks) shows; the other fields are for programs.
 *
 * @param id             the idempotency id: the same on every attempt to every webhook
 * @param previousAction the action before (recommendation_changed), or the current one (failure_spike)
 */
public record Alert(String id, AlertType type, String projectId, String feature, String text, String action,
                    String previousAction, double adoption, double failureRate, Double ratingAverage,
                    List<String> reasons, Instant occurredAt) {
    public Alert {
        reasons = List.copyOf(reasons);
    }
}
