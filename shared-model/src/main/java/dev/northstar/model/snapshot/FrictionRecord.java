package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.northstar.model.topic.Topics;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot on {@link dev.northstar.model.topic.Topics#FEATURE_FRICTION}: per feature (key {@code projectId/feature})
 * and per funnel (key {@code projectId/funnels/funnel}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = FrictionRecord.FeatureFriction.class, name = "feature_friction"),
        @JsonSubTypes.Type(value = FrictionRecord.FunnelProgress.class, name = "funnel_progress"),
})
public sealed interface FrictionRecord extends Sliced<FrictionRecord> {

    String projectId();

    Instant asOf();

    /** The record key it is published under ({@code projectId/feature}, or {@code projectId/funnels/funnel}, and the partition). */
    @JsonIgnore
    default String recordKey() {
        return Sliced.recordKey(this);
    }

    /**
     * Failures of one feature.
     *
     * @param used28d     {@code feature_used} events in the last 28 days
     * @param failed28d   {@code feature_failed} events in the last 28 days
     * @param failureRate failed / (used + failed) over the last 28 days; 0 when there is neither
     * @param failures    {@code feature_failed} events, all time
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FeatureFriction(String projectId, String feature, long used28d, long failed28d, double failureRate,
                           long failures, List<ErrorCodeCount> topErrorCodes, Instant asOf, Integer partition)
            implements FrictionRecord {
        public FeatureFriction {
            topErrorCodes = topErrorCodes == null ? List.of() : List.copyOf(topErrorCodes);
        }

        public FeatureFriction(String projectId, String feature, long used28d, long failed28d, double failureRate,
                               long failures, List<ErrorCodeCount> topErrorCodes, Instant asOf) {
            this(projectId, feature, used28d, failed28d, failureRate, failures, topErrorCodes, asOf, null);
        }

        @Override
        public FeatureFriction inPartition(int partition) {
            return new FeatureFriction(projectId, feature, used28d, failed28d, failureRate, failures, topErrorCodes,
                    asOf, partition);
        }

        @Override
        @JsonIgnore
        public String snapshotKey() {
            return Topics.featureKey(projectId, feature);
        }
    }

    /** How many failures carried one error code (all time). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorCodeCount(String errorCode, long count) {
    }

    /** Distinct users reaching each step of a funnel, with step-to-step conversion. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FunnelProgress(String projectId, String funnel, List<FunnelStep> steps, Instant asOf, Integer partition)
            implements FrictionRecord {
        public FunnelProgress {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }

        public FunnelProgress(String projectId, String funnel, List<FunnelStep> steps, Instant asOf) {
            this(projectId, funnel, steps, asOf, null);
        }

        @Override
        public FunnelProgress inPartition(int partition) {
            return new FunnelProgress(projectId, funnel, steps, asOf, partition);
        }

        @Override
        @JsonIgnore
        public String snapshotKey() {
            return Topics.funnelKey(projectId, funnel);
        }
    }

    /**
     * @param conversion users at this step / users at the previous step (1.0 for the first step;
     *                   0 when the previous step has no users)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FunnelStep(int step, long users, double conversion) {
    }
}
