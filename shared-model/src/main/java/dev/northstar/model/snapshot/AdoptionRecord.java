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
 * A snapshot on {@link dev.northstar.model.topic.Topics#FEATURE_ADOPTION}: one project-level record (key
 * {@code projectId}) and one per feature (key {@code projectId/feature}). Each replaces the
 * previous one with the same key.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AdoptionRecord.ProjectActivity.class, name = "project_activity"),
        @JsonSubTypes.Type(value = AdoptionRecord.FeatureAdoption.class, name = "feature_adoption"),
})
public sealed interface AdoptionRecord extends Sliced<AdoptionRecord> {

    String projectId();

    Instant asOf();

    /** The record key it is published under ({@code projectId}, or {@code projectId/feature}, and the partition). */
    @JsonIgnore
    default String recordKey() {
        return Sliced.recordKey(this);
    }

    /** Active users of a project: distinct actors with any event in the window. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProjectActivity(String projectId, UserCounts activeUsers, Instant asOf, Integer partition)
            implements AdoptionRecord {
        public ProjectActivity(String projectId, UserCounts activeUsers, Instant asOf) {
            this(projectId, activeUsers, asOf, null);
        }

        @Override
        public ProjectActivity inPartition(int partition) {
            return new ProjectActivity(projectId, activeUsers, asOf, partition);
        }

        @Override
        @JsonIgnore
        public String snapshotKey() {
            return projectId;
        }
    }

    /**
     * Adoption of one feature.
     *
     * @param users distinct actors with {@code feature_used} for this feature in each window
     * @param uses         {@code feature_used} events, all time
     * @param daily        the last 28 UTC days, oldest first
     * @param usesByWindow {@code feature_used} events in the last 7 and 28 UTC days and all time (null on
     *                     records from before 2026-11-27)
     * @param trend          distinct users per ISO week and of the last 7 days against the 7 before (null
     *                       on records from before 2026-11-28)
     * @param returningUsers distinct users with uses on at least 2 of the 28 UTC days of {@code daily}
     *                       (null on records from before 2026-11-28)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FeatureAdoption(String projectId, String feature, UserCounts users, long uses, Instant firstSeen,
                           Instant lastSeen, List<DailyUsers> daily, Instant asOf, Integer partition,
                           @JsonInclude(JsonInclude.Include.NON_NULL) UsesByWindow usesByWindow,
                           @JsonInclude(JsonInclude.Include.NON_NULL) FeatureTrend trend,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Long returningUsers)
            implements AdoptionRecord {
        public FeatureAdoption {
            daily = daily == null ? List.of() : List.copyOf(daily);
        }

        public FeatureAdoption(String projectId, String feature, UserCounts users, long uses, Instant firstSeen,
                               Instant lastSeen, List<DailyUsers> daily, Instant asOf, Integer partition,
                               UsesByWindow usesByWindow) {
            this(projectId, feature, users, uses, firstSeen, lastSeen, daily, asOf, partition, usesByWindow, null, null);
        }

        public FeatureAdoption(String projectId, String feature, UserCounts users, long uses, Instant firstSeen,
                               Instant lastSeen, List<DailyUsers> daily, Instant asOf, Integer partition) {
            this(projectId, feature, users, uses, firstSeen, lastSeen, daily, asOf, partition, null);
        }

        public FeatureAdoption(String projectId, String feature, UserCounts users, long uses, Instant firstSeen,
                               Instant lastSeen, List<DailyUsers> daily, Instant asOf) {
            this(projectId, feature, users, uses, firstSeen, lastSeen, daily, asOf, null);
        }

        @Override
        public FeatureAdoption inPartition(int partition) {
            return new FeatureAdoption(projectId, feature, users, uses, firstSeen, lastSeen, daily, asOf, partition,
                    usesByWindow, trend, returningUsers);
        }

        @Override
        @JsonIgnore
        public String snapshotKey() {
            return Topics.featureKey(projectId, feature);
        }
    }
}
