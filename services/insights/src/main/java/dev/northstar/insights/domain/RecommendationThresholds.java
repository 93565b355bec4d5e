package dev.northstar.insights.domain;

import java.time.Duration;

/**
 * The thresholds of the recommendation rules (fractions, not percentages).
 *
 * @param sunsetBelowAdoption      sunset when adoption is below this...
 * @param sunsetMinAge             ...the feature was first seen at least this long ago...
 * @param sunsetMinActiveUsers     ...and the project has at least this many active users (28 days)
 * @param improveMinAdoption       improve when adoption is at least this and...
 * @param improveFailureRate       ...the failure rate is at least this, or...
 * @param improveBelowRating       ...the average rating is below this...
 * @param improveMinRatings        ...over at least this many ratings
 * @param expandMinAdoption        expand when adoption is at least this...
 * @param expandBelowFailureRate   ...the failure rate is below this...
 * @param expandMinRating          ...and the average rating is at least this (or there are no ratings)
 * @param sunsetHoldOnRise         no sunset (watch) while the users of the last 7 days are at least this
 *                                 fraction above the 7 days before
 * @param expandHoldOnFall         no expand (watch) while they are at least this fraction below
 */
public record RecommendationThresholds(
        double sunsetBelowAdoption, Duration sunsetMinAge, long sunsetMinActiveUsers,
        double improveMinAdoption, double improveFailureRate, double improveBelowRating, long improveMinRatings,
        double expandMinAdoption, double expandBelowFailureRate, double expandMinRating,
        double sunsetHoldOnRise, double expandHoldOnFall) {

    /** The defaults of the product brief. */
    public static final RecommendationThresholds DEFAULTS = new RecommendationThresholds(
            0.05, Duration.ofDays(14), 20,
            0.05, 0.10, 3.0, 5,
            0.30, 0.05, 4.0,
            0.5, 0.3);
}
