package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.util.List;

/**
 * What Northstar recommends for one feature and why, on {@link dev.northstar.model.topic.Topics#FEATURE_INSIGHTS}
 * (key {@code projectId/feature}).
 *
 * @param adoption feature users (28 days) / active users (28 days), 0 to 1
 * @param failing  whether the 28-day failure rate is at or above the improve rule's threshold (what a
 *                 failure spike alert watches); null on records from before 2026-11-28
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FeatureInsight(String projectId, String feature, double adoption, double failureRate,
                             Double ratingAverage, long ratingCount, Recommendation recommendation, Instant asOf,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Boolean failing) {

    public FeatureInsight(String projectId, String feature, double adoption, double failureRate, Double ratingAverage,
                          long ratingCount, Recommendation recommendation, Instant asOf) {
        this(projectId, feature, adoption, failureRate, ratingAverage, ratingCount, recommendation, asOf, null);
    }

    /** Whether the failure rate is at or above the improve threshold (false when the record does not say). */
    public boolean atFailureThreshold() {
        return Boolean.TRUE.equals(failing);
    }

    /**
     * The action and the human-readable reasons, with the numbers that led to it.
     *
     * @param wouldChange the nearest thresholds of the rules and how far the numbers are from each,
     *                    nearest first (empty on records from before 2026-11-28)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Recommendation(Action action, List<String> reasons,
                                 @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Threshold> wouldChange) {
        public Recommendation {
            reasons = List.copyOf(reasons);
            wouldChange = wouldChange == null ? List.of() : List.copyOf(wouldChange);
        }

        public Recommendation(Action action, List<String> reasons) {
            this(action, reasons, List.of());
        }
    }

    /**
     * One threshold of a rule and the distance to it, from the numbers of the recommendation.
     *
     * @param rule     the rule it belongs to: expand, improve or sunset
     * @param text     what the rule needs and how far away it is: {@code expand needs adoption ≥ 30.0%:
     *                 12 more of 400 active users}
     * @param distance the distance as a fraction of the measure it is counted in (users of the active
     *                 users, failures of the attempts, rating points of 5, users of the week before):
     *                 the list is ordered by it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Threshold(String rule, String text, double distance) {
    }

    public enum Action {
        EXPAND, IMPROVE, SUNSET, WATCH;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
