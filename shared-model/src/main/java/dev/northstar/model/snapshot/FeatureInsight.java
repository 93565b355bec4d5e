package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.util.List;

/**
 * What Northstar recommends for one feature and why, on {@link dev.northstar.model.topic.Topics#FEATURE_INSIGHTS}
 * (key {@code projectId/feature}).
 *
 * @param adoption feature users (28 days) / active users (28 days), 0 to 1
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FeatureInsight(String projectId, String feature, double adoption, double failureRate,
                             Double ratingAverage, long ratingCount, Recommendation recommendation, Instant asOf) {

    /** The action and the human-readable reasons, with the numbers that led to it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Recommendation(Action action, List<String> reasons) {
        public Recommendation {
            reasons = List.copyOf(reasons);
        }
    }

    public enum Action {
        EXPAND, IMPROVE, SUNSET, WATCH;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
