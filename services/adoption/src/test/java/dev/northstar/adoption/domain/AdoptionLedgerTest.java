package dev.northstar.adoption.domain;

import dev.northstar.adoption.AdoptionSignal;
import dev.northstar.signals.LedgerContract;
import dev.northstar.model.event.EventType;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.AdoptionRecord.ProjectActivity;
import dev.northstar.model.snapshot.UserCounts;
import dev.northstar.model.topic.Keyed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdoptionLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final AdoptionLedger ledger = new AdoptionLedger();
    private int ids;

    private ProductEvent event(EventType type, String user, String feature, Duration ago) {
        return ProductEvent.builder().eventId("e" + ids++).type(type).projectId("acme").userId(user).feature(feature)
                .occurredAt(NOW.minus(ago)).receivedAt(NOW).rating(type == EventType.FEEDBACK_GIVEN ? 5 : null).build();
    }

    private ProductEvent used(String user, String feature, Duration ago) {
        return event(EventType.FEATURE_USED, user, feature, ago);
    }

    private FeatureAdoption feature(List<Keyed<AdoptionRecord>> snapshots, String name) {
        return snapshots.stream().map(Keyed::value)
                .filter(r -> r instanceof FeatureAdoption f && f.feature().equals(name))
                .map(FeatureAdoption.class::cast).findFirst().orElseThrow();
    }

    private ProjectActivity activity(List<Keyed<AdoptionRecord>> snapshots) {
        return snapshots.stream().map(Keyed::value).filter(ProjectActivity.class::isInstance)
                .map(ProjectActivity.class::cast).findFirst().orElseThrow();
    }

    @Test
    void countsDistinctUsersPerWindowAndEveryUse() {
        ledger.record(used("ann", "export", Duration.ofHours(1)));
        ledger.record(used("ann", "export", Duration.ofHours(2)));
        ledger.record(used("bob", "export", Duration.ofDays(10)));
        ledger.record(used("cat", "export", Duration.ofDays(40)));

        var snapshots = ledger.drainChanged(NOW);
        FeatureAdoption export = feature(snapshots, "export");

        assertThat(export.users()).isEqualTo(new UserCounts(1, 2, 3));
        assertThat(export.uses()).isEqualTo(4);
        assertThat(export.firstSeen()).isEqualTo(NOW.minus(Duration.ofDays(40)));
        assertThat(export.lastSeen()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(snapshots).extracting(Keyed::key).containsExactlyInAnyOrder("acme", "acme/export");
    }

    @Test
    void windowEdgesAreExclusiveOfTheirStart() {
        ledger.record(used("exactly-7-days", "f", Duration.ofDays(7)));
        ledger.record(used("just-inside-7", "f", Duration.ofDays(7).minusSeconds(1)));
        ledger.record(used("exactly-28-days", "f", Duration.ofDays(28)));
        ledger.record(used("just-inside-28", "f", Duration.ofDays(28).minusSeconds(1)));

        assertThat(feature(ledger.drainChanged(NOW), "f").users()).isEqualTo(new UserCounts(1, 3, 4));
    }

    @Test
    void aLateEventCountsAtItsEventTimeAndNeverMovesAUserBack() {
        ledger.record(used("ann", "f", Duration.ofDays(1)));
        ledger.record(used("ann", "f", Duration.ofDays(20))); // arrives late, older

        assertThat(feature(ledger.drainChanged(NOW), "f").users()).isEqualTo(new UserCounts(1, 1, 1));
    }

    @Test
    void activeUsersCountAnyEventButFeatureUsersOnlyFeatureUsed() {
        ledger.record(used("ann", "f", Duration.ofDays(1)));
        ledger.record(event(EventType.FEATURE_FAILED, "bob", "f", Duration.ofDays(1)));
        ledger.record(event(EventType.FEEDBACK_GIVEN, "cat", "f", Duration.ofDays(9)));

        var snapshots = ledger.drainChanged(NOW);
        assertThat(activity(snapshots).activeUsers()).isEqualTo(new UserCounts(2, 3, 3));
        assertThat(feature(snapshots, "f").users()).isEqualTo(new UserCounts(1, 1, 1));
    }

    @Test
    void countsAnEventIdOnceHoweverOftenItArrives() {
        ProductEvent once = used("ann", "f", Duration.ofHours(1));
        assertThat(ledger.record(once)).isTrue();
        assertThat(ledger.record(once)).isFalse();
        // Same id, different payload: first wins.
        assertThat(ledger.record(once.toBuilder().userId("bob").feature("g").occurredAt(NOW).build())).isFalse();

        var snapshots = ledger.drainChanged(NOW);
        assertThat(feature(snapshots, "f").uses()).isEqualTo(1);
        assertThat(snapshots).extracting(Keyed::key).doesNotContain("acme/g");
    }

    @Test
    void keepsADailySeriesOfTheLast28Days() {
        ledger.record(used("ann", "f", Duration.ofDays(0)));
        ledger.record(used("bob", "f", Duration.ofDays(0)));
        ledger.record(used("ann", "f", Duration.ofDays(27)));
        ledger.record(used("ann", "f", Duration.ofDays(30)));

        var daily = feature(ledger.drainChanged(NOW), "f").daily();
        assertThat(daily).hasSize(28);
        assertThat(daily.get(0).day()).isEqualTo(LocalDate.parse("2026-10-28"));
        assertThat(daily.get(0).users()).isEqualTo(1);
        assertThat(daily.get(27).day()).isEqualTo(LocalDate.parse("2026-11-24"));
        assertThat(daily.get(27).users()).isEqualTo(2);
        assertThat(daily.stream().mapToLong(d -> d.uses()).sum()).isEqualTo(3);
    }

    @Test
    void aDayOutsideTheSeriesNeverMixesWithADayInsideIt() {
        // 32 days apart: the same day slot. The older day arrives first, then late again.
        ledger.record(used("old", "f", Duration.ofDays(40)));
        ledger.record(used("ann", "f", Duration.ofDays(8)));
        ledger.record(used("bob", "f", Duration.ofDays(8)));
        ledger.record(used("late", "f", Duration.ofDays(40)));
        ledger.record(used("cat", "f", Duration.ofDays(0)));
        ledger.record(used("older", "f", Duration.ofDays(32)));

        FeatureAdoption f = feature(ledger.drainChanged(NOW), "f");
        var daily = f.daily();
        assertThat(daily.get(27 - 8).users()).isEqualTo(2);
        assertThat(daily.get(27 - 8).uses()).isEqualTo(2);
        assertThat(daily.get(27).users()).isEqualTo(1);
        assertThat(daily.stream().mapToLong(d -> d.uses()).sum()).isEqualTo(3);
        assertThat(f.uses()).as("uses count every event, inside the series or not").isEqualTo(6);
        assertThat(f.users()).isEqualTo(new UserCounts(1, 3, 6));
    }

    @Test
    void dailyUsersAreDistinctPerDay() {
        for (int i = 0; i < 5; i++) {
            ledger.record(used("ann", "f", Duration.ofHours(i)));
        }
        ledger.record(used("bob", "f", Duration.ofHours(1)));

        var today = feature(ledger.drainChanged(NOW), "f").daily().get(27);
        assertThat(today.users()).isEqualTo(2);
        assertThat(today.uses()).isEqualTo(6);
    }

    @Test
    void drainsOnlyWhatChangedUnlessEverythingIsMarked() {
        ledger.record(used("ann", "f", Duration.ofHours(1)));
        ledger.drainChanged(NOW);
        assertThat(ledger.drainChanged(NOW)).isEmpty();

        ledger.markAllChanged();
        assertThat(ledger.drainChanged(NOW.plus(Duration.ofDays(8))))
                .extracting(Keyed::key).containsExactlyInAnyOrder("acme", "acme/f");
    }

    @Test
    void aRestoredLedgerPublishesTheSameNumbersAndStillKnowsItsEventIds() throws Exception {
        ledger.record(used("ann", "export", Duration.ofHours(1)));
        ledger.record(used("bob", "export", Duration.ofDays(10)));
        ledger.record(used("cat", "search", Duration.ofDays(40)));
        ProductEvent seen = used("dan", "export", Duration.ofDays(2));
        ledger.record(seen);
        var restored = LedgerContract.assertRestoresTheSameState(new AdoptionSignal().ledgers(), ledger, seen, NOW);
        assertThat(restored.record(used("eve", "export", Duration.ofDays(1)))).isTrue();
        assertThat(feature(restored.drainChanged(NOW), "export").users()).isEqualTo(new UserCounts(3, 4, 4));
    }

    @Test
    void readsTheStateSavedBeforeTheLedgerMovedOntoTheEngine() throws Exception {
        var restored = LedgerContract.assertReadsSavedState(new AdoptionSignal().ledgers(), "state/saved-2026-11-27.json",
                used("ann", "export", Duration.ofDays(3)).toBuilder().eventId("e1").build(), NOW);

        restored.markAllChanged();
        assertThat(feature(restored.drainChanged(NOW), "export").users()).isEqualTo(new UserCounts(1, 1, 1));
    }
}
