package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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
     * @param errorCodes28d failures of the last 28 UTC days per error code, most frequent first (a slice
     *                      carries up to 100; null on records from before 2026-11-27)
     * @param otherErrors28d failures of the last 28 days whose code is not in {@code errorCodes28d}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FeatureFriction(String projectId, String feature, long used28d, long failed28d, double failureRate,
                           long failures, List<ErrorCodeCount> topErrorCodes, Instant asOf, Integer partition,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<ErrorCodeCount> errorCodes28d,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Long otherErrors28d)
            implements FrictionRecord {
        public FeatureFriction {
            topErrorCodes = topErrorCodes == null ? List.of() : List.copyOf(topErrorCodes);
            errorCodes28d = errorCodes28d == null ? null : List.copyOf(errorCodes28d);
        }

        public FeatureFriction(String projectId, String feature, long used28d, long failed28d, double failureRate,
                               long failures, List<ErrorCodeCount> topErrorCodes, Instant asOf, Integer partition) {
            this(projectId, feature, used28d, failed28d, failureRate, failures, topErrorCodes, asOf, partition, null,
                    null);
        }

        public FeatureFriction(String projectId, String feature, long used28d, long failed28d, double failureRate,
                               long failures, List<ErrorCodeCount> topErrorCodes, Instant asOf) {
            this(projectId, feature, used28d, failed28d, failureRate, failures, topErrorCodes, asOf, null);
        }

        @Override
        public FeatureFriction inPartition(int partition) {
            return new FeatureFriction(projectId, feature, used28d, failed28d, failureRate, failures, topErrorCodes,
                    asOf, partition, errorCodes28d, otherErrors28d);
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

    /**
     * Actors reaching each step of a funnel in order and in time (an actor enters at its first step-1
     * event of the last 28 days and reaches step k with a step-k event at or after it reached step k−1,
     * no later than entry + the conversion window), with conversion.
     *
     * @param conversionWindowDays the conversion window the steps were counted with (null on records
     *                             from before ordered funnels)
     * @param timesToConvert       per step from 2 on, the times from reaching the previous step, as a
     *                             histogram ({@link ConversionTimes}) that slices add up
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FunnelProgress(String projectId, String funnel, List<FunnelStep> steps, Instant asOf, Integer partition,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer conversionWindowDays,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<StepTimes> timesToConvert)
            implements FrictionRecord {
        public FunnelProgress {
            steps = steps == null ? List.of() : List.copyOf(steps);
            timesToConvert = timesToConvert == null ? List.of() : List.copyOf(timesToConvert);
        }

        public FunnelProgress(String projectId, String funnel, List<FunnelStep> steps, Instant asOf, Integer partition) {
            this(projectId, funnel, steps, asOf, partition, null, List.of());
        }

        public FunnelProgress(String projectId, String funnel, List<FunnelStep> steps, Instant asOf) {
            this(projectId, funnel, steps, asOf, null);
        }

        @Override
        public FunnelProgress inPartition(int partition) {
            return new FunnelProgress(projectId, funnel, steps, asOf, partition, conversionWindowDays, timesToConvert);
        }

        @Override
        @JsonIgnore
        public String snapshotKey() {
            return Topics.funnelKey(projectId, funnel);
        }
    }

    /** The times to convert to {@code step} from the step before, bucket lower bound (seconds) to count. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StepTimes(int step, java.util.SortedMap<Long, Long> histogram) {
        public StepTimes {
            histogram = histogram == null ? new java.util.TreeMap<>() : new java.util.TreeMap<>(histogram);
        }
    }

    /**
     * @param conversion             users at this step / users at the previous step (1.0 for the first
     *                               step; 0 when the previous step has no users)
     * @param conversionFromStart    users at this step / users at step 1 (0 without any)
     * @param medianSecondsToConvert from reaching the previous step (the lower median's bucket,
     *                               {@link ConversionTimes}); null for step 1 and without conversions
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FunnelStep(int step, long users, double conversion, Double conversionFromStart,
                      Long medianSecondsToConvert) {
        public FunnelStep(int step, long users, double conversion) {
            this(step, users, conversion, null, null);
        }
    }
}
