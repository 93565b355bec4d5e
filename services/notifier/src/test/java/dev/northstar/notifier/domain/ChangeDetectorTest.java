package dev.northstar.notifier.domain;

import dev.northstar.model.notify.AlertType;
import dev.northstar.model.notify.FeatureHistory;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.snapshot.FeatureInsight.Action;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeDetectorTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();

    private ChangeDetector detector(Duration settle) {
        return new ChangeDetector(settle, () -> "al_" + ids.incrementAndGet());
    }

    private static FeatureInsight insight(Action action, double failureRate, boolean failing, Instant at) {
        return new FeatureInsight("acme", "export", 0.4, failureRate, 4.0, 10,
                new FeatureInsight.Recommendation(action, List.of("because " + action.wireName())), at, failing);
    }

    /** Feeds the insights in order; every alert raised. */
    private static List<Alert> run(ChangeDetector detector, FeatureHistory[] history, FeatureInsight... insights) {
        List<Alert> alerts = new java.util.ArrayList<>();
        for (FeatureInsight insight : insights) {
            var outcome = detector.detect(history[0], insight);
            if (outcome.history() != null) {
                history[0] = outcome.history();
            }
            alerts.addAll(outcome.alerts());
        }
        return alerts;
    }

    @Test
    void theFirstRecommendationStartsTheHistoryAndAlertsNobody() {
        var outcome = detector(Duration.ZERO).detect(null, insight(Action.IMPROVE, 0.2, true, T0));
        assertThat(outcome.alerts()).isEmpty();
        assertThat(outcome.history().action()).isEqualTo(Action.IMPROVE);
        assertThat(outcome.history().failing()).isTrue();
        assertThat(outcome.history().changes()).singleElement().satisfies(c -> {
            assertThat(c.from()).isNull();
            assertThat(c.to()).isEqualTo(Action.IMPROVE);
            assertThat(c.at()).isEqualTo(T0);
        });
    }

    @Test
    void aChangedActionIsKeptNewestFirstAndAlertedOnceWithItsReasons() {
        FeatureHistory[] h = new FeatureHistory[1];
        var alerts = run(detector(Duration.ZERO), h,
                insight(Action.WATCH, 0, false, T0),
                insight(Action.WATCH, 0, false, T0.plusSeconds(60)),       // a republish: nothing
                insight(Action.EXPAND, 0, false, T0.plusSeconds(120)),
                insight(Action.EXPAND, 0, false, T0.plusSeconds(180)));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.RECOMMENDATION_CHANGED);
            assertThat(a.previousAction()).isEqualTo("watch");
            assertThat(a.action()).isEqualTo("expand");
            assertThat(a.text()).isEqualTo("Northstar: *export* in acme is now *expand* (was watch): because expand");
            assertThat(a.occurredAt()).isEqualTo(T0.plusSeconds(120));
        });
        assertThat(h[0].changes()).extracting(FeatureHistory.Change::to).containsExactly(Action.EXPAND, Action.WATCH);
    }

    @Test
    void failuresReachingTheThresholdAlertOnceUntilTheyFallBelowAndRiseAgain() {
        FeatureHistory[] h = new FeatureHistory[1];
        var alerts = run(detector(Duration.ZERO), h,
                insight(Action.WATCH, 0.05, false, T0),
                insight(Action.WATCH, 0.12, true, T0.plusSeconds(1)),    // spike
                insight(Action.WATCH, 0.15, true, T0.plusSeconds(2)),    // still failing: no new alert
                insight(Action.WATCH, 0.04, false, T0.plusSeconds(3)),   // cleared: no alert
                insight(Action.WATCH, 0.30, true, T0.plusSeconds(4)));   // spike again
        assertThat(alerts).extracting(Alert::type).containsExactly(AlertType.FAILURE_SPIKE, AlertType.FAILURE_SPIKE);
        assertThat(alerts.get(0).text()).isEqualTo("Northstar: failures of *export* in acme rose to 12.0% of attempts "
                + "over 28 days, at or above the improve threshold (recommendation: watch)");
        assertThat(h[0].changes()).as("failing alone is not a change of the recommendation").hasSize(1);
    }

    @Test
    void aChangeOfActionAndFailuresTogetherRaisesBothAlerts() {
        FeatureHistory[] h = new FeatureHistory[1];
        var alerts = run(detector(Duration.ZERO), h, insight(Action.WATCH, 0, false, T0),
                insight(Action.IMPROVE, 0.2, true, T0.plusSeconds(5)));
        assertThat(alerts).extracting(Alert::type).containsExactly(AlertType.RECOMMENDATION_CHANGED,
                AlertType.FAILURE_SPIKE);
        assertThat(alerts).extracting(Alert::id).doesNotHaveDuplicates();
    }

    @Test
    void aCallThatFlipsBackWithinTheSettlePeriodIsNoChange() {
        FeatureHistory[] h = new FeatureHistory[1];
        var detector = detector(Duration.ofSeconds(90));
        var alerts = run(detector, h,
                insight(Action.WATCH, 0, false, T0),
                insight(Action.EXPAND, 0, false, T0.plusSeconds(1)),     // pending
                insight(Action.WATCH, 0, false, T0.plusSeconds(2)));     // flipped back: forgotten
        assertThat(alerts).isEmpty();
        assertThat(h[0].pending()).isNull();
        assertThat(h[0].changes()).hasSize(1);

        alerts = run(detector, h,
                insight(Action.EXPAND, 0, false, T0.plusSeconds(10)),    // pending since +10
                insight(Action.EXPAND, 0, false, T0.plusSeconds(70)),    // 60 s: not yet
                insight(Action.EXPAND, 0, false, T0.plusSeconds(99)));   // 89 s: not yet
        assertThat(alerts).isEmpty();
        assertThat(h[0].pending()).isEqualTo(new FeatureHistory.Pending(Action.EXPAND, false, T0.plusSeconds(10)));

        alerts = run(detector, h, insight(Action.EXPAND, 0, false, T0.plusSeconds(100)));   // 90 s: settled
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.occurredAt()).isEqualTo(T0.plusSeconds(10)));
        assertThat(h[0].pending()).isNull();
        assertThat(h[0].changes().get(0).at()).as("the change happened when first seen").isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void aDifferentPendingCallRestartsTheSettlePeriod() {
        FeatureHistory[] h = new FeatureHistory[1];
        var detector = detector(Duration.ofSeconds(90));
        var alerts = run(detector, h,
                insight(Action.WATCH, 0, false, T0),
                insight(Action.EXPAND, 0, false, T0.plusSeconds(10)),
                insight(Action.SUNSET, 0, false, T0.plusSeconds(60)),    // another call: pending restarts at +60
                insight(Action.SUNSET, 0, false, T0.plusSeconds(120)));  // 60 s of sunset: not settled
        assertThat(alerts).isEmpty();
        alerts = run(detector, h, insight(Action.SUNSET, 0, false, T0.plusSeconds(150)));
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.action()).isEqualTo("sunset"));
    }

    @Test
    void theHistoryKeepsTheNewestChangesOnly() {
        FeatureHistory[] h = new FeatureHistory[1];
        var detector = detector(Duration.ZERO);
        run(detector, h, insight(Action.WATCH, 0, false, T0));
        for (int i = 1; i <= FeatureHistory.MAX_CHANGES + 10; i++) {
            run(detector, h, insight(i % 2 == 0 ? Action.WATCH : Action.EXPAND, 0, false, T0.plusSeconds(i)));
        }
        assertThat(h[0].changes()).hasSize(FeatureHistory.MAX_CHANGES);
        assertThat(h[0].changes().get(0).at()).isEqualTo(T0.plusSeconds(FeatureHistory.MAX_CHANGES + 10));
        assertThat(h[0].changes()).isSortedAccordingTo((a, b) -> b.at().compareTo(a.at()));
    }
}
