package dev.northstar.insights.domain;

import dev.northstar.model.snapshot.FeatureInsight.Action;
import dev.northstar.model.snapshot.FeatureInsight.Recommendation;
import dev.northstar.model.snapshot.FeatureInsight.Threshold;
import dev.northstar.model.snapshot.FeatureTrend;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
        FeatureTrend trend = null;
        double stickiness = 0;
        long returning = 0;

        Facts lastTwoWeeks(long previous7Days, long last7Days) {
            trend = new FeatureTrend(List.of(), last7Days, previous7Days);
            return this;
        }

        Facts stickiness(double value, long returningUsers) {
            stickiness = value;
            returning = returningUsers;
            return this;
        }

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
                    Optional.ofNullable(rating), ratings, recent, Optional.ofNullable(trend), stickiness, returning);
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
                "average rating 4.4 from 12 ratings (all time) is at least 4.0",
                "stickiness 0.0% (mean daily users ÷ 28-day users), 0 returning users (2 or more days in 28)");
        assertThat(recommend(new Facts().users(120)).action()).isEqualTo(Action.EXPAND); // no ratings
        // no friction data yet (uses come from adoption, attempts from friction): said so, not "0 of 0"
        assertThat(recommend(new Facts().users(120).failures(0, 0)).reasons()).containsExactly(
                "adoption 30.0% (120 of 400 active users, 28 days) is at least the 30.0% expand threshold",
                "no attempts recorded in 28 days, so no failures",
                "no ratings yet",
                "stickiness 0.0% (mean daily users ÷ 28-day users), 0 returning users (2 or more days in 28)");
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

    @Test
    void noSunsetWhileUsersRoseByHalfOrMoreOverTheWeekBefore() {
        // 12 of 400: a sunset, unless the last 7 days have 50 % more users than the 7 before.
        Recommendation rising = recommend(new Facts().users(12).lastTwoWeeks(8, 12));
        assertThat(rising.action()).isEqualTo(Action.WATCH);
        assertThat(rising.reasons().get(0)).isEqualTo("adoption 3.0% (12 of 400 active users, 28 days) is below the "
                + "5.0% sunset threshold, but users rose 50.0% (12 in the last 7 days, 8 in the 7 before): no sunset "
                + "while users rise 50.0% or more");
        // 49 % is not enough to hold it (100 -> 149), and a rise from nothing has no ratio
        assertThat(recommend(new Facts().users(12).lastTwoWeeks(100, 149)).action()).isEqualTo(Action.SUNSET);
        assertThat(recommend(new Facts().users(12).lastTwoWeeks(100, 150)).action()).isEqualTo(Action.WATCH);
        assertThat(recommend(new Facts().users(12).lastTwoWeeks(0, 12)).action()).isEqualTo(Action.SUNSET);
    }

    @Test
    void noExpandWhenUsersFellThirtyPercentOrMoreWeekOverWeek() {
        Facts expanding = new Facts().users(120).failures(1000, 10).rating(4.4, 12);
        Recommendation falling = recommend(expanding.lastTwoWeeks(100, 70));
        assertThat(falling.action()).isEqualTo(Action.WATCH);
        assertThat(falling.reasons().get(0)).isEqualTo("adoption 30.0% (120 of 400 active users, 28 days) is at least "
                + "the 30.0% expand threshold, but users fell 30.0% (70 in the last 7 days, 100 in the 7 before): no "
                + "expand while users fall 30.0% or more");
        assertThat(recommend(expanding.lastTwoWeeks(100, 71)).action()).isEqualTo(Action.EXPAND);
        // the holds are configuration
        var stricter = new Recommender(new RecommendationThresholds(0.05, Duration.ofDays(14), 20, 0.05, 0.10, 3.0, 5,
                0.30, 0.05, 4.0, 0.5, 0.2));
        assertThat(stricter.recommend(expanding.lastTwoWeeks(100, 80).build(), NOW).action()).isEqualTo(Action.WATCH);
        assertThat(stricter.recommend(expanding.lastTwoWeeks(100, 81).build(), NOW).action()).isEqualTo(Action.EXPAND);
    }

    @Test
    void aStrongRiseOrFallIsAReasonWhateverTheCall() {
        Recommendation improving = recommend(new Facts().users(100).failures(90, 10).lastTwoWeeks(40, 20));
        assertThat(improving.action()).isEqualTo(Action.IMPROVE);
        assertThat(improving.reasons()).contains("strong trend: users fell 50.0% (20 in the last 7 days, 40 in the 7 before)");
        assertThat(recommend(new Facts().users(60).lastTwoWeeks(40, 50)).reasons()).noneMatch(r -> r.contains("trend"));
    }

    @Test
    void stickinessAndReturningUsersAreReasonsOfExpandAndSunset() {
        Recommendation expand = recommend(new Facts().users(120).failures(1000, 10).stickiness(0.35, 40));
        assertThat(expand.action()).isEqualTo(Action.EXPAND);
        assertThat(expand.reasons()).contains(
                "stickiness 35.0% (mean daily users ÷ 28-day users), 40 returning users (2 or more days in 28)");
        assertThat(recommend(new Facts().users(12).stickiness(0.05, 1)).reasons())
                .contains("stickiness 5.0% (mean daily users ÷ 28-day users), 1 returning user (2 or more days in 28)");
    }

    @Test
    void saysWhatWouldChangeTheCallWithTheDistanceToEachThreshold() {
        Recommendation watch = recommend(new Facts().users(108));
        assertThat(watch.wouldChange()).extracting(Threshold::text).startsWith(
                "expand needs adoption ≥ 30.0%: 12 more of 400 active users");
        assertThat(watch.wouldChange()).extracting(Threshold::text).contains(
                "improve needs failures ≥ 10.0%: 10 more failures in 100 attempts",
                "sunset needs adoption below 5.0%: 89 fewer of 400 active users");
        Recommendation improve = recommend(new Facts().users(100).failures(270, 30));
        assertThat(improve.wouldChange()).extracting(Threshold::text)
                .contains("improve clears below 10.0% failures: 1 fewer failures in 300 attempts");
        Recommendation failing = recommend(new Facts().users(100).failures(259, 41));
        assertThat(failing.wouldChange()).extracting(Threshold::text)
                .contains("improve clears below 10.0% failures: 12 fewer failures in 300 attempts");
        assertThat(failing.wouldChange()).extracting(Threshold::distance).isSorted();
        assertThat(failing.wouldChange()).hasSizeLessThanOrEqualTo(Recommender.MAX_THRESHOLDS);
    }

    /**
     * Every distance is exact: moving the numbers by it crosses the threshold, by one less does not
     * (checked on the rule's own result for adoption and failures over a grid of features).
     */
    @Test
    void eachDistanceIsTheLeastThatCrossesItsThreshold() {
        int checked = 0;
        for (long users = 0; users <= 400; users += 13) {
            for (long failed = 0; failed <= 60; failed += 5) {
                Facts facts = new Facts().users(users).failures(300 - failed, failed);
                Recommendation r = recommend(facts);
                for (Threshold t : r.wouldChange()) {
                    var m = java.util.regex.Pattern.compile(": (\\d+) (more|fewer)( failures)?").matcher(t.text());
                    if (!m.find()) {
                        continue;
                    }
                    long n = Long.parseLong(m.group(1)) * (m.group(2).equals("more") ? 1 : -1);
                    boolean onFailures = m.group(3) != null;
                    java.util.function.LongFunction<Recommendation> moved = k -> recommend(onFailures
                            ? new Facts().users(facts.users).failures(300 - (facts.failed + k), facts.failed + k)
                            : new Facts().users(facts.users + k).failures(facts.used, facts.failed));
                    String rule = t.rule();
                    java.util.function.Predicate<Recommendation> crossed = after -> t.text().contains("clears")
                            ? after.action() != r.action() : after.action().wireName().equals(rule);
                    if (t.text().startsWith(rule + " needs adoption") || t.text().startsWith(rule + " needs failures")
                            || t.text().contains(" clears ")) {
                        if (!blockedByAnotherRule(rule, facts, n, onFailures)) {
                            assertThat(crossed.test(moved.apply(n))).as(t.text() + " at " + users + "/" + failed).isTrue();
                        }
                        long less = n > 0 ? n - 1 : n + 1;
                        assertThat(crossed.test(moved.apply(less))).as("one less than " + t.text()).isFalse();
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).as("distances checked").isGreaterThan(500);
    }

    /** Whether another rule, earlier in the order or with its own unmet condition, decides after the move. */
    private boolean blockedByAnotherRule(String rule, Facts facts, long n, boolean onFailures) {
        long users = onFailures ? facts.users : facts.users + n;
        long failed = onFailures ? facts.failed + n : facts.failed;
        double adoption = users / 400.0;
        double rate = failed / 300.0;
        return switch (rule) {
            case "expand" -> rate >= 0.05 || adoption < 0.30;
            case "improve" -> adoption < 0.05 || rate < 0.10;
            default -> adoption >= 0.05;
        };
    }
}
