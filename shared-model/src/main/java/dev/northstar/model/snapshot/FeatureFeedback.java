package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.northstar.model.topic.Topics;

import java.time.Instant;
import java.util.List;

/**
 * Feedback about one feature, on {@link dev.northstar.model.topic.Topics#FEATURE_FEEDBACK} (key {@code projectId/feature}).
 *
 * @param distribution ratings 1 to 5, index 0 holding the count of 1s
 * @param recentComments the latest comments, newest first
 * @param ratings28d     ratings of the last 28 UTC days (null on records from before 2026-11-27)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FeatureFeedback(String projectId, String feature, long count, double average, List<Long> distribution,
                              List<Comment> recentComments, Instant asOf, Integer partition,
                              @JsonInclude(JsonInclude.Include.NON_NULL) RatingSum ratings28d)
        implements Sliced<FeatureFeedback> {

    public FeatureFeedback {
        distribution = distribution == null ? List.of() : List.copyOf(distribution);
        recentComments = recentComments == null ? List.of() : List.copyOf(recentComments);
    }

    public FeatureFeedback(String projectId, String feature, long count, double average, List<Long> distribution,
                           List<Comment> recentComments, Instant asOf, Integer partition) {
        this(projectId, feature, count, average, distribution, recentComments, asOf, partition, null);
    }

    public FeatureFeedback(String projectId, String feature, long count, double average, List<Long> distribution,
                           List<Comment> recentComments, Instant asOf) {
        this(projectId, feature, count, average, distribution, recentComments, asOf, null);
    }

    @Override
    public FeatureFeedback inPartition(int partition) {
        return new FeatureFeedback(projectId, feature, count, average, distribution, recentComments, asOf, partition,
                ratings28d);
    }

    @Override
    @JsonIgnore
    public String snapshotKey() {
        return Topics.featureKey(projectId, feature);
    }

    /** The record key it is published under: {@code projectId/feature}, and the partition once stamped. */
    @JsonIgnore
    public String recordKey() {
        return Sliced.recordKey(this);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Comment(String eventId, int rating, String comment, Instant occurredAt) {
    }
}
