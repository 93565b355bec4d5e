package dev.northstar.feedback.domain;

import dev.northstar.feedback.FeedbackSignal;
import dev.northstar.signals.LedgerContract;
import dev.northstar.model.event.EventType;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.topic.Keyed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FeedbackLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final FeedbackLedger ledger = new FeedbackLedger();
    private int ids;

    private ProductEvent rating(String feature, int rating, String comment, Duration ago) {
        return ProductEvent.builder().eventId("e" + ids++).type(EventType.FEEDBACK_GIVEN).projectId("acme").userId("u")
                .feature(feature).occurredAt(NOW.minus(ago)).receivedAt(NOW).rating(rating).comment(comment).build();
    }

    private FeatureFeedback only(List<Keyed<FeatureFeedback>> snapshots) {
        assertThat(snapshots).hasSize(1);
        return snapshots.get(0).value();
    }

    @Test
    void countsRatingsWithMeanAndDistribution() {
        ledger.record(rating("export", 5, null, Duration.ofDays(1)));
        ledger.record(rating("export", 4, null, Duration.ofDays(100)));
        ledger.record(rating("export", 1, null, Duration.ofDays(2)));

        FeatureFeedback export = only(ledger.drainChanged(NOW));
        assertThat(export.count()).isEqualTo(3);
        assertThat(export.average()).isEqualTo(10.0 / 3);
        assertThat(export.distribution()).containsExactly(1L, 0L, 0L, 1L, 1L);
    }

    @Test
    void keepsTheFiveNewestCommentsNewestFirst() {
        for (int day = 10; day >= 1; day--) {
            ledger.record(rating("export", 3, "comment " + day, Duration.ofDays(day)));
        }
        ledger.record(rating("export", 5, "   ", Duration.ofHours(1))); // blank: not a comment
        ledger.record(rating("export", 2, "late but old", Duration.ofDays(50)));

        assertThat(only(ledger.drainChanged(NOW)).recentComments()).extracting(FeatureFeedback.Comment::comment)
                .containsExactly("comment 1", "comment 2", "comment 3", "comment 4", "comment 5");
    }

    @Test
    void ignoresOtherEventTypesAndCountsAnEventIdOnce() {
        ledger.record(ProductEvent.builder().eventId("used").type(EventType.FEATURE_USED).projectId("acme").userId("u")
                .feature("export").occurredAt(NOW).receivedAt(NOW).build());
        assertThat(ledger.drainChanged(NOW)).isEmpty();

        ProductEvent once = rating("export", 2, "meh", Duration.ofDays(1));
        assertThat(ledger.record(once)).isTrue();
        assertThat(ledger.record(once)).isFalse();
        assertThat(only(ledger.drainChanged(NOW)).count()).isEqualTo(1);
    }

    @Test
    void republishesEverythingWhenAskedAndNothingOtherwise() {
        ledger.record(rating("export", 5, null, Duration.ofDays(1)));
        ledger.drainChanged(NOW);
        assertThat(ledger.drainChanged(NOW)).isEmpty();

        ledger.markAllChanged();
        assertThat(ledger.drainChanged(NOW)).extracting(Keyed::key).containsExactly("acme/export");
    }

    @Test
    void aRestoredLedgerPublishesTheSameNumbersAndStillKnowsItsEventIds() throws Exception {
        for (int day = 7; day >= 1; day--) {
            ledger.record(rating("export", 1 + day % 5, "comment " + day, Duration.ofDays(day)));
        }
        ProductEvent seen = rating("search", 4, null, Duration.ofDays(1));
        ledger.record(seen);
        var restored = LedgerContract.assertRestoresTheSameState(new FeedbackSignal().ledgers(), ledger, seen, NOW);
        restored.record(rating("export", 5, "newest", Duration.ofHours(1)));
        assertThat(restored.drainChanged(NOW).stream().map(k -> k.value()).filter(f -> f.feature().equals("export"))
                .findFirst().orElseThrow().recentComments().get(0).comment()).isEqualTo("newest");
    }

    @Test
    void readsTheStateSavedBeforeTheLedgerMovedOntoTheEngine() throws Exception {
        var restored = LedgerContract.assertReadsSavedState(new FeedbackSignal().ledgers(), "state/saved-2026-11-27.json",
                rating("export", 5, null, Duration.ofDays(3)).toBuilder().eventId("e1").build(), NOW);

        restored.markAllChanged();
        FeatureFeedback export = only(restored.drainChanged(NOW));
        assertThat(export.count()).isEqualTo(1);
        assertThat(export.average()).isEqualTo(4.0);
    }

    @Test
    void countsTheRatingsOfTheLast28UtcDaysApart() {
        ledger.record(rating("export", 5, null, Duration.ofDays(1)));
        ledger.record(rating("export", 2, null, Duration.ofDays(27).plusHours(11))); // 10-28: the first of the 28 days
        ledger.record(rating("export", 1, null, Duration.ofDays(27).plusHours(13))); // 10-27: all time only

        FeatureFeedback export = only(ledger.drainChanged(NOW));
        assertThat(export.ratings28d()).isEqualTo(new dev.northstar.model.snapshot.RatingSum(2, 7));
        assertThat(export.count()).isEqualTo(3);
    }
}
