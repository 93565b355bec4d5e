package dev.northstar.insights.domain;

import dev.northstar.model.snapshot.FeatureInsight.Action;
import dev.northstar.model.snapshot.FeatureInsight.Recommendation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RecommenderTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final Recommender recommender = new Recommender(RecommendationThresholds.DEFAULTS);

    /** A builder for facts: 400 active users, a feature first seen 41 days ago, nothing else. */
    private static final class Facts {
        long users = 0;
        long active = 400;
        Duration age = Duration.ofDays(41);
        long used = 100;
        long failed = 0;
        Double rating = null;
        long ratings = 0;
        dev.northstar.model.snapshot.RatingSum recent = dev.northstar.model.snapshot.RatingSum.NONE;

        Facts recentRatings(long count, long sum) {
            recent = new dev.northstar.model.snapshot.RatingSum(count, sum);
            return this;
        }

        Facts users(long n) {
            users = n;
            return this;
        }

        Facts active(long n) {
            active = n;
            return this;
        }

        Facts age(Duration d) {
            age = d;
            return this;
        }

        Facts failures(long usedCount, long failedCount) {
            used = usedCount;
            failed = failedCount;
            return this;
        }

        Facts rating(double avg, long count) {
            rating = avg;
            ratings = count;
            return this;
        }

        FeatureFacts build() {
            return new FeatureFacts(users, active, Optional.of(NOW.minus(age)), used, failed,
                    Optional.ofNullable(rating), ratings, recent);
        }
    }

    private Recommendation recommend(Facts facts) {
        return recommender.recommend(facts.build(), NOW);
    }

    @Test
    void sunsetsARarelyUsedOldFeatureAndSaysWhyWithTheNumbers() {
        Recommendation r = recommend(new Facts().users(12).active(388));

        assertThat(r.action()).isEqualTo(Action.SUNSET);
        assertThat(r.reasons().get(0)).isEqualTo(
                "adoption 3.1% (12 of 388 active users, 28 days) is below the 5.0% sunset threshold; first seen 41 days ago");
    }

    @Test
    void sunsetBoundaries() {
        // adoption exactly 5% is not below the threshold
        assertThat(recommend(new Facts().users(20).active(400)).action()).isNotEqualTo(Action.SUNSET);
        // first seen exactly 14 days ago is old enough; a second less is not
        assertThat(recommend(new Facts().users(1).age(Duration.ofDays(14))).action()).isEqualTo(Action.SUNSET);
        assertThat(recommend(new Facts().users(1).age(Duration.ofDays(14).minusSeconds(1))).action())
                .isEqualTo(Action.WATCH);
        // 20 active users is enough data, 19 is too little
        assertThat(recommend(new Facts().users(0).active(20)).action()).isEqualTo(Action.SUNSET);
        Recommendation tooLittle = recommend(new Facts().users(0).active(19));
        assertThat(tooLittle.action()).isEqualTo(Action.WATCH);
        assertThat(tooLittle.reasons().get(0)).contains("too little data: 19 active users (sunset needs 20)");
    }

    @Test
    void improvesAnAdoptedFeatureThatFailsOften() {
        Recommendation r = recommend(new Facts().users(100).failures(90, 10));

        assertThat(r.action()).isEqualTo(Action.IMPROVE);
        assertThat(r.reasons()).contains(
                "failure rate 10.0% (10 of 100 attempts, 28 days) is at or above the 10.0% improve threshold");
        assertThat(recommend(new Facts().users(100).failures(901, 99)).action()).isNotEqualTo(Action.IMPROVE);
    }

    @Test
    void improvesAnAdoptedFeatureRatedBelowThreeByEnoughPeople() {
        assertThat(recommend(new Facts().users(100).rating(2.9, 5)).action()).isEqualTo(Action.IMPROVE);
        assertThat(recommend(new Facts().users(100).rating(2.9, 5)).reasons())
                .contains("average rating 2.9 from 5 ratings (all time) is below 3.0");
        assertThat(recommend(new Facts().users(100).rating(2.9, 4)).action()).isEqualTo(Action.WATCH);
        assertThat(recommend(new Facts().users(100).rating(3.0, 5)).action()).isEqualTo(Action.WATCH);
        // below the adoption threshold a bad rating is not an improve
        assertThat(recommend(new Facts().users(19).age(Duration.ofDays(3)).rating(1.0, 50)).action())
                .isEqualTo(Action.WATCH);
    }

    @Test
    void expandsAWidelyAdoptedReliableWellRatedFeature() {
        Recommendation r = recommend(new Facts().users(120).failures(1000, 10).rating(4.4, 12));

        assertThat(r.action()).isEqualTo(Action.EXPAND);
        assertThat(r.reasons()).containsExactly(
                "adoption 30.0% (120 of 400 active users, 28 days) is at least the 30.0% expand threshold",
                "failure rate 1.0% (10 of 1010 attempts, 28 days) is below 5.0%",
                "average rating 4.4 from 12 ratings (all time) is at least 4.0");
        assertThat(recommend(new Facts().users(120)).action()).isEqualTo(Action.EXPAND); // no ratings
        // no friction data yet (uses come from adoption, attempts from friction): said so, not "0 of 0"
        assertThat(recommend(new Facts().users(120).failures(0, 0)).reasons()).containsExactly(
                "adoption 30.0% (120 of 400 active users, 28 days) is at least the 30.0% expand threshold",
                "no attempts recorded in 28 days, so no failures",
                "no ratings yet");
        assertThat(recommend(new Facts().users(60).failures(0, 0)).reasons()).containsExactly(
                "adoption 15.0% (60 of 400 active users, 28 days) is between the 5.0% sunset and 30.0% expand thresholds",
                "no attempts recorded in 28 days; no ratings yet");
        assertThat(recommend(new Facts().users(119)).action()).isEqualTo(Action.WATCH);
        assertThat(recommend(new Facts().users(120).failures(95, 5)).action()).isEqualTo(Action.WATCH);
        assertThat(recommend(new Facts().users(120).rating(3.9, 10)).action()).isEqualTo(Action.WATCH);
    }

    @Test
    void watchesWhenThereIsNoDataAtAll() {
        Recommendation r = recommender.recommend(
                new FeatureFacts(0, 0, Optional.empty(), 0, 0, Optional.empty(), 0), NOW);

        assertThat(r.action()).isEqualTo(Action.WATCH);
        assertThat(r.reasons()).containsExactly("too little data: no active users in the last 28 days");
    }

    @Test
    void watchesTheMiddleGroundAndSaysSo() {
        Recommendation r = recommend(new Facts().users(60));

        assertThat(r.action()).isEqualTo(Action.WATCH);
        assertThat(r.reasons().get(0)).isEqualTo(
                "adoption 15.0% (60 of 400 active users, 28 days) is between the 5.0% sunset and 30.0% expand thresholds");
    }

    @Test
    void theRatingOfTheLast28DaysDecidesOnceItHasTheMinimumAndTheReasonSaysWhich() {
        // Liked all time, disliked lately: five recent ratings (the minimum) decide.
        Recommendation lately = recommend(new Facts().users(100).rating(4.6, 200).recentRatings(5, 12));
        assertThat(lately.action()).isEqualTo(Action.IMPROVE);
        assertThat(lately.reasons()).contains("average rating 2.4 from 5 ratings (last 28 days) is below 3.0");
        // Four recent ratings are too few: the all-time rating decides, and says so.
        Recommendation allTime = recommend(new Facts().users(120).failures(1000, 10).rating(4.6, 200).recentRatings(4, 4));
        assertThat(allTime.action()).isEqualTo(Action.EXPAND);
        assertThat(allTime.reasons()).contains("average rating 4.6 from 200 ratings (all time) is at least 4.0");
    }
}
