package dev.northstar.insights.domain;

import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.AdoptionRecord.ProjectActivity;
import dev.northstar.model.snapshot.DailyUsers;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FeatureFeedback.Comment;
import dev.northstar.model.snapshot.FrictionRecord.ErrorCodeCount;
import dev.northstar.model.snapshot.FrictionRecord.FeatureFriction;
import dev.northstar.model.snapshot.FrictionRecord.FunnelProgress;
import dev.northstar.model.snapshot.FrictionRecord.FunnelStep;
import dev.northstar.model.snapshot.FrictionRecord.StepTimes;
import dev.northstar.model.snapshot.UserCounts;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A project's numbers are the sum of the latest slice of each events partition: a newer slice of a
 * partition replaces its older one, slices of other partitions add up.
 */
class ProjectViewTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2026-11-27");
    private final ProjectView view = new ProjectView("acme");

    private static FeatureAdoption adoption(int partition, long users, long uses, Instant first, long todayUsers) {
        return new FeatureAdoption("acme", "export", new UserCounts(users, users + 1, users + 2), uses, first,
                first.plusSeconds(60), List.of(new DailyUsers(TODAY, todayUsers, uses)), NOW).inPartition(partition);
    }

    @Test
    void distinctUsersUsesAndDaysAddUpOverPartitionsAndANewerSliceReplacesItsOwn() {
        view.apply(new ProjectActivity("acme", new UserCounts(3, 5, 8), NOW).inPartition(0));
        view.apply(new ProjectActivity("acme", new UserCounts(1, 2, 2), NOW).inPartition(4));
        view.apply(adoption(0, 2, 10, NOW.minusSeconds(3600), 2));
        view.apply(adoption(4, 1, 4, NOW.minusSeconds(7200), 1));
        view.apply(adoption(0, 3, 12, NOW.minusSeconds(3600), 3)); // partition 0 again: replaces

        var export = view.findFeature("export").orElseThrow().adoption().orElseThrow();
        assertThat(view.activeUsers()).isEqualTo(new UserCounts(4, 7, 10));
        assertThat(export.users()).isEqualTo(new UserCounts(4, 6, 8));
        assertThat(export.uses()).isEqualTo(16);
        assertThat(export.firstSeen()).isEqualTo(NOW.minusSeconds(7200));
        assertThat(export.lastSeen()).isEqualTo(NOW.minusSeconds(3600 - 60));
        assertThat(export.daily()).containsExactly(new DailyUsers(TODAY, 4, 16));
        assertThat(view.facts(view.findFeature("export").orElseThrow()).adoption()).isEqualTo(6.0 / 7);
    }

    @Test
    void weeksTheLastTwoWeeksAndReturningUsersAddUpAndStickinessIsTakenFromTheSums() {
        LocalDate monday = LocalDate.parse("2026-11-23");
        java.util.function.Function<Long, List<dev.northstar.model.snapshot.WeeklyUsers>> weeks = n ->
                java.util.stream.IntStream.range(0, 8).mapToObj(w -> dev.northstar.model.snapshot.WeeklyUsers.of(
                        monday.minusWeeks(7 - w), n * w)).toList();
        view.apply(new FeatureAdoption("acme", "export", new UserCounts(3, 4, 9), 20, NOW, NOW,
                List.of(new DailyUsers(TODAY, 2, 5), new DailyUsers(TODAY.minusDays(1), 3, 6)), NOW, null, null,
                new dev.northstar.model.snapshot.FeatureTrend(weeks.apply(1L), 3, 2), 1L).inPartition(0));
        view.apply(new FeatureAdoption("acme", "export", new UserCounts(1, 4, 4), 7, NOW, NOW,
                List.of(new DailyUsers(TODAY, 1, 1)), NOW, null, null,
                new dev.northstar.model.snapshot.FeatureTrend(weeks.apply(2L), 1, 4), 2L).inPartition(3));
        view.apply(new ProjectActivity("acme", new UserCounts(10, 20, 30), NOW).inPartition(0));

        var feature = view.findFeature("export").orElseThrow();
        var export = feature.adoption().orElseThrow();
        assertThat(export.trend().weekly()).extracting(dev.northstar.model.snapshot.WeeklyUsers::users)
                .containsExactly(0L, 3L, 6L, 9L, 12L, 15L, 18L, 21L);
        assertThat(export.trend().weekly().get(7).week()).isEqualTo("2026-W48");
        assertThat(export.trend().last7Days()).isEqualTo(4);
        assertThat(export.trend().previous7Days()).isEqualTo(6);
        assertThat(export.trend().change()).isEqualTo(-2.0 / 6);
        assertThat(export.returningUsers()).isEqualTo(3);
        var facts = view.facts(feature);
        assertThat(facts.stickiness()).as("(2 + 1 + 3 user-days) / 28 days / 8 users").isEqualTo(6.0 / 28 / 8);
        assertThat(facts.returningUsers()).isEqualTo(3);
    }

    @Test
    void failureRateIsRecomputedFromTheSumsAndTheTopErrorCodesRankTheSum() {
        view.apply(new FeatureFriction("acme", "export", 8, 2, 0.2, 5,
                List.of(new ErrorCodeCount("a", 3), new ErrorCodeCount("b", 2)), NOW).inPartition(1));
        view.apply(new FeatureFriction("acme", "export", 0, 6, 1.0, 9,
                List.of(new ErrorCodeCount("b", 4), new ErrorCodeCount("c", 2), new ErrorCodeCount("d", 1),
                        new ErrorCodeCount("e", 1), new ErrorCodeCount("f", 1)), NOW).inPartition(2));

        var friction = view.findFeature("export").orElseThrow().friction().orElseThrow();
        assertThat(friction.used28d()).isEqualTo(8);
        assertThat(friction.failed28d()).isEqualTo(8);
        assertThat(friction.failureRate()).isEqualTo(0.5);
        assertThat(friction.failures()).isEqualTo(14);
        assertThat(friction.topErrorCodes()).containsExactly(new ErrorCodeCount("b", 6), new ErrorCodeCount("a", 3),
                new ErrorCodeCount("c", 2), new ErrorCodeCount("d", 1), new ErrorCodeCount("e", 1));
    }

    @Test
    void funnelStepsAndTimesToConvertAddUpAndConversionsAreRecomputed() {
        var two = new java.util.TreeMap<Long, Long>(java.util.Map.of(10L, 1L, 30L, 1L));
        var twoMore = new java.util.TreeMap<Long, Long>(java.util.Map.of(20L, 2L, 40L, 1L));
        view.apply(new FunnelProgress("acme", "signup", List.of(new FunnelStep(1, 4, 1), new FunnelStep(2, 2, 0.5)),
                NOW, null, 7, List.of(new StepTimes(2, two))).inPartition(0));
        view.apply(new FunnelProgress("acme", "signup", List.of(new FunnelStep(1, 6, 1), new FunnelStep(2, 3, 0.5),
                new FunnelStep(3, 1, 1.0 / 3)), NOW, null, 7,
                List.of(new StepTimes(2, twoMore), new StepTimes(3, new java.util.TreeMap<>(java.util.Map.of(5L, 1L)))))
                .inPartition(3));

        FunnelProgress signup = view.funnel("signup").orElseThrow();
        // Times to step 2: 10, 20, 20, 30, 40: the lower median is 20.
        assertThat(signup.steps()).containsExactly(new FunnelStep(1, 10, 1, 1.0, null),
                new FunnelStep(2, 5, 0.5, 0.5, 20L), new FunnelStep(3, 1, 0.2, 0.1, 5L));
        assertThat(signup.conversionWindowDays()).isEqualTo(7);
    }

    @Test
    void ratingsAddUpByDistributionAndTheNewestCommentsWin() {
        List<Comment> first = List.of(new Comment("e9", 5, "new", NOW), new Comment("e1", 4, "old", NOW.minusSeconds(90)));
        List<Comment> second = List.of(new Comment("e5", 1, "middle", NOW.minusSeconds(30)));
        view.apply(new FeatureFeedback("acme", "export", 2, 4.5, List.of(0L, 0L, 0L, 1L, 1L), first, NOW).inPartition(0));
        view.apply(new FeatureFeedback("acme", "export", 1, 1, List.of(1L, 0L, 0L, 0L, 0L), second, NOW).inPartition(5));

        var feedback = view.findFeature("export").orElseThrow().feedback().orElseThrow();
        assertThat(feedback.count()).isEqualTo(3);
        assertThat(feedback.average()).isCloseTo(10.0 / 3, within(1e-12));
        assertThat(feedback.distribution()).containsExactly(1L, 0L, 0L, 1L, 1L);
        assertThat(feedback.recentComments()).extracting(Comment::comment).containsExactly("new", "middle", "old");
    }

    @Test
    void windowedUsesRatingsAndErrorCodesAddUpToo() {
        view.apply(new FeatureAdoption("acme", "export", new UserCounts(1, 1, 1), 9, NOW, NOW, List.of(), NOW, null,
                new dev.northstar.model.snapshot.UsesByWindow(2, 5, 9)).inPartition(0));
        view.apply(new FeatureAdoption("acme", "export", new UserCounts(1, 1, 1), 4, NOW, NOW, List.of(), NOW, null,
                new dev.northstar.model.snapshot.UsesByWindow(1, 3, 4)).inPartition(1));
        view.apply(new FeatureFeedback("acme", "export", 3, 3, List.of(1L, 0L, 1L, 0L, 1L), List.of(), NOW, null,
                new dev.northstar.model.snapshot.RatingSum(2, 8)).inPartition(0));
        view.apply(new FeatureFeedback("acme", "export", 1, 1, List.of(1L, 0L, 0L, 0L, 0L), List.of(), NOW, null,
                new dev.northstar.model.snapshot.RatingSum(1, 1)).inPartition(1));
        view.apply(new FeatureFriction("acme", "export", 10, 9, 0.47, 9, List.of(), NOW, null,
                List.of(new ErrorCodeCount("a", 4), new ErrorCodeCount("b", 2), new ErrorCodeCount("c", 1),
                        new ErrorCodeCount("d", 1), new ErrorCodeCount("e", 1)), 0L).inPartition(0));
        view.apply(new FeatureFriction("acme", "export", 0, 3, 1, 3, List.of(), NOW, null,
                List.of(new ErrorCodeCount("f", 2)), 1L).inPartition(1));

        var f = view.findFeature("export").orElseThrow();
        assertThat(f.adoption().orElseThrow().usesByWindow()).isEqualTo(new dev.northstar.model.snapshot.UsesByWindow(3, 8, 13));
        assertThat(f.feedback().orElseThrow().ratings28d()).isEqualTo(new dev.northstar.model.snapshot.RatingSum(3, 9));
        var friction = f.friction().orElseThrow();
        assertThat(friction.errorCodes28d()).containsExactly(new ErrorCodeCount("a", 4), new ErrorCodeCount("b", 2),
                new ErrorCodeCount("f", 2), new ErrorCodeCount("c", 1), new ErrorCodeCount("d", 1));
        assertThat(friction.otherErrors28d()).isEqualTo(12 - 10);
        assertThat(view.facts(f).ratings28d().average()).isEqualTo(3.0);
    }
}
