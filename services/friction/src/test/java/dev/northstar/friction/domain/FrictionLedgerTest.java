package dev.northstar.friction.domain;

import dev.northstar.friction.FrictionSignal;
import dev.northstar.signals.LedgerContract;
import dev.northstar.model.event.EventType;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.model.snapshot.FrictionRecord.ErrorCodeCount;
import dev.northstar.model.snapshot.FrictionRecord.FeatureFriction;
import dev.northstar.model.snapshot.FrictionRecord.FunnelProgress;
import dev.northstar.model.snapshot.FrictionRecord.FunnelStep;
import dev.northstar.model.topic.Keyed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FrictionLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final FrictionLedger ledger = new FrictionLedger();
    private int ids;

    private ProductEvent event(EventType type, String user, String feature, Duration ago, String errorCode) {
        return ProductEvent.builder().eventId("e" + ids++).type(type).projectId("acme").userId(user).feature(feature)
                .occurredAt(NOW.minus(ago)).receivedAt(NOW).errorCode(errorCode).build();
    }

    private ProductEvent used(String feature, Duration ago) {
        return event(EventType.FEATURE_USED, "u", feature, ago, null);
    }

    private ProductEvent failed(String feature, Duration ago, String code) {
        return event(EventType.FEATURE_FAILED, "u", feature, ago, code);
    }

    private ProductEvent step(String user, String funnel, int step) {
        return ProductEvent.builder().eventId("e" + ids++).type(EventType.FUNNEL_STEP).projectId("acme").userId(user)
                .occurredAt(NOW).receivedAt(NOW).funnel(funnel).step(step).build();
    }

    private static FeatureFriction feature(List<Keyed<FrictionRecord>> snapshots, String name) {
        return snapshots.stream().map(Keyed::value)
                .filter(r -> r instanceof FeatureFriction f && f.feature().equals(name))
                .map(FeatureFriction.class::cast).findFirst().orElseThrow();
    }

    private static FunnelProgress funnel(List<Keyed<FrictionRecord>> snapshots, String name) {
        return snapshots.stream().map(Keyed::value)
                .filter(r -> r instanceof FunnelProgress f && f.funnel().equals(name))
                .map(FunnelProgress.class::cast).findFirst().orElseThrow();
    }

    @Test
    void failureRateCoversTheLast28DaysOnly() {
        ledger.record(used("search", Duration.ofDays(1)));
        ledger.record(used("search", Duration.ofDays(27)));
        ledger.record(failed("search", Duration.ofDays(2), "timeout"));
        ledger.record(failed("search", Duration.ofDays(29), "timeout")); // outside the window

        FeatureFriction search = feature(ledger.drainChanged(NOW), "search");
        assertThat(search.used28d()).isEqualTo(2);
        assertThat(search.failed28d()).isEqualTo(1);
        assertThat(search.failureRate()).isEqualTo(1.0 / 3);
        assertThat(search.failures()).isEqualTo(2);
    }

    @Test
    void failureRateIsZeroWithNeitherUsesNorFailuresInTheWindow() {
        ledger.record(used("old", Duration.ofDays(40)));

        FeatureFriction old = feature(ledger.drainChanged(NOW), "old");
        assertThat(old.failureRate()).isZero();
        assertThat(old.used28d()).isZero();
    }

    @Test
    void ranksErrorCodesMostFrequentFirstThenByName() {
        for (String code : List.of("b", "a", "a", "c", "c", "c", "d", "e", "f")) {
            ledger.record(failed("export", Duration.ofHours(1), code));
        }
        ledger.record(failed("export", Duration.ofHours(1), null));

        assertThat(feature(ledger.drainChanged(NOW), "export").topErrorCodes()).containsExactly(
                new ErrorCodeCount("c", 3), new ErrorCodeCount("a", 2), new ErrorCodeCount("b", 1),
                new ErrorCodeCount("d", 1), new ErrorCodeCount("e", 1), new ErrorCodeCount("f", 1),
                new ErrorCodeCount("unknown", 1));
    }

    @Test
    void aSliceCarriesAtMostItsBoundOfErrorCodes() {
        for (int i = 0; i < FrictionLedger.ERROR_CODES_PER_SLICE + 20; i++) {
            ledger.record(failed("export", Duration.ofHours(1), "E" + i));
        }

        assertThat(feature(ledger.drainChanged(NOW), "export").topErrorCodes())
                .hasSize(FrictionLedger.ERROR_CODES_PER_SLICE);
    }

    @Test
    void countsAFailureWithoutCodeAsUnknown() {
        ledger.record(failed("export", Duration.ofHours(1), null));

        assertThat(feature(ledger.drainChanged(NOW), "export").topErrorCodes())
                .containsExactly(new ErrorCodeCount("unknown", 1));
    }

    @Test
    void funnelCountsDistinctUsersPerStepAndConversion() {
        ledger.record(step("ann", "signup", 1));
        ledger.record(step("ann", "signup", 1)); // same user again: still one
        ledger.record(step("bob", "signup", 1));
        ledger.record(step("ann", "signup", 2));
        ledger.record(step("ann", "signup", 4)); // step 3 missing

        assertThat(funnel(ledger.drainChanged(NOW), "signup").steps()).containsExactly(
                new FunnelStep(1, 2, 1.0), new FunnelStep(2, 1, 0.5), new FunnelStep(3, 0, 0.0),
                new FunnelStep(4, 1, 0.0));
    }

    @Test
    void countsAnEventIdOnceAndALateEventAtItsTime() {
        ProductEvent failure = failed("search", Duration.ofDays(3), "timeout");
        assertThat(ledger.record(failure)).isTrue();
        assertThat(ledger.record(failure)).isFalse();
        ledger.record(used("search", Duration.ofDays(26))); // late, still inside the window

        FeatureFriction search = feature(ledger.drainChanged(NOW), "search");
        assertThat(search.failures()).isEqualTo(1);
        assertThat(search.failureRate()).isEqualTo(0.5);
    }

    @Test
    void keysFeaturesAndFunnelsApart() {
        ledger.record(used("checkout", Duration.ofHours(1)));
        ledger.record(step("ann", "checkout", 1));

        assertThat(ledger.drainChanged(NOW)).extracting(Keyed::key)
                .containsExactlyInAnyOrder("acme/checkout", "acme/funnels/checkout");
        assertThat(ledger.drainChanged(NOW)).isEmpty();
    }

    @Test
    void aRestoredLedgerPublishesTheSameNumbersAndStillKnowsItsEventIds() throws Exception {
        ledger.record(used("export", Duration.ofDays(1)));
        ledger.record(failed("export", Duration.ofDays(2), "E_TIMEOUT"));
        ledger.record(step("ann", "checkout", 1));
        ProductEvent seen = step("ann", "checkout", 2);
        ledger.record(seen);
        LedgerContract.assertRestoresTheSameState(new FrictionSignal().ledgers(), ledger, seen, NOW);
    }

    @Test
    void readsTheStateSavedBeforeTheLedgerMovedOntoTheEngine() throws Exception {
        var restored = LedgerContract.assertReadsSavedState(new FrictionSignal().ledgers(), "state/saved-2026-11-27.json",
                used("export", Duration.ofDays(3)).toBuilder().eventId("e1").build(), NOW);

        restored.markAllChanged();
        FeatureFriction export = feature(restored.drainChanged(NOW), "export");
        assertThat(export.failures()).isEqualTo(1);
        assertThat(export.failureRate()).isEqualTo(0.5);
    }
}
