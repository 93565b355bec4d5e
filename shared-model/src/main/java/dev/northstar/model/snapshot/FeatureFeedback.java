package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.northstar.model.topic.Topics;

import java.time.Instant;
import java.util.List;

/**
 * Feedback about one feature, on {@link dev.northstar.model.topic.Topics#FEATURE_FEEDBACK} (key {@code projectId/feature}).
 *
 * @param distribution ratings 1 to 5, index 0 holding the count of 1s
 * @param recentComments the latest comments, newest first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FeatureFeedback(String projectId, String feature, long count, double average, List<Long> distribution,
                              List<Comment> recentComments, Instant asOf) {

    public FeatureFeedback {
        distribution = distribution == null ? List.of() : List.copyOf(distribution);
        recentComments = recentComments == null ? List.of() : List.copyOf(recentComments);
    }

    /** The record key it is published under: {@code projectId/feature}. */
    @JsonIgnore
    public String recordKey() {
        return Topics.featureKey(projectId, feature);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Comment(String eventId, int rating, String comment, Instant occurredAt) {
    }
}
