package dev.northstar.insights.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * The numbers a recommendation is made from.
 *
 * @param featureUsers28d distinct users of the feature in the last 28 days
 * @param activeUsers28d  distinct active users of the project in the last 28 days
 * @param firstSeen       when the feature was first used, if it ever was
 * @param used28d         uses in the last 28 days (for the failure rate's denominator)
 * @param failed28d       failures in the last 28 days
 * @param ratingAverage   mean rating, when there are ratings
 * @param ratingCount     number of ratings
 * @param ratings28d      ratings of the last 28 days
 * @param trend           users per week and of the last 7 days against the 7 before, when known
 * @param stickiness      mean daily users over the 28 days of the daily series / featureUsers28d (0 to 1)
 * @param returningUsers  users with uses on at least 2 of those 28 days
 * @param releasedAt      the release of a feature declared with one (its age is counted from it then)
 */
public record FeatureFacts(long featureUsers28d, long activeUsers28d, Optional<Instant> firstSeen, long used28d,
                           long failed28d, Optional<Double> ratingAverage, long ratingCount,
                           dev.northstar.model.snapshot.RatingSum ratings28d,
                           Optional<dev.northstar.model.snapshot.FeatureTrend> trend, double stickiness,
                           long returningUsers, Optional<Instant> releasedAt) {

    public FeatureFacts(long featureUsers28d, long activeUsers28d, Optional<Instant> firstSeen, long used28d,
                        long failed28d, Optional<Double> ratingAverage, long ratingCount,
                        dev.northstar.model.snapshot.RatingSum ratings28d,
                        Optional<dev.northstar.model.snapshot.FeatureTrend> trend, double stickiness,
                        long returningUsers) {
        this(featureUsers28d, activeUsers28d, firstSeen, used28d, failed28d, ratingAverage, ratingCount, ratings28d,
                trend, stickiness, returningUsers, Optional.empty());
    }

    /** These facts for a feature declared as released on {@code day} (UTC). */
    public FeatureFacts releasedOn(java.time.LocalDate day) {
        return new FeatureFacts(featureUsers28d, activeUsers28d, firstSeen, used28d, failed28d, ratingAverage,
                ratingCount, ratings28d, trend, stickiness, returningUsers,
                Optional.of(day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
    }

    /** Where the feature's age is counted from: its declared release, else its first use. */
    public Optional<Instant> since() {
        return releasedAt.isPresent() ? releasedAt : firstSeen;
    }

    /** Without trend and stickiness (records from before they were published). */
    public FeatureFacts(long featureUsers28d, long activeUsers28d, Optional<Instant> firstSeen, long used28d,
                        long failed28d, Optional<Double> ratingAverage, long ratingCount,
                        dev.northstar.model.snapshot.RatingSum ratings28d) {
        this(featureUsers28d, activeUsers28d, firstSeen, used28d, failed28d, ratingAverage, ratingCount, ratings28d,
                Optional.empty(), 0, 0);
    }

    /** Without ratings of the last 28 days apart (recommendations then use the all-time rating). */
    public FeatureFacts(long featureUsers28d, long activeUsers28d, Optional<Instant> firstSeen, long used28d,
                        long failed28d, Optional<Double> ratingAverage, long ratingCount) {
        this(featureUsers28d, activeUsers28d, firstSeen, used28d, failed28d, ratingAverage, ratingCount,
                dev.northstar.model.snapshot.RatingSum.NONE);
    }

    /** feature users / active users over 28 days; 0 without active users. */
    public double adoption() {
        return activeUsers28d == 0 ? 0 : (double) featureUsers28d / activeUsers28d;
    }

    /** failed / (used + failed) over 28 days; 0 when there is neither. */
    public double failureRate() {
        long attempts = used28d + failed28d;
        return attempts == 0 ? 0 : (double) failed28d / attempts;
    }
}
