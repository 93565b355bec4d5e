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
    private final FrictionLedger ledger = new FrictionLedger(ConversionWindows.DEFAULT);
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

    private ProductEvent step(String user, String funnel, int step, Duration ago) {
        return step(user, funnel, step).toBuilder().occurredAt(NOW.minus(ago)).build();
    }

    @Test
    void aFunnelCountsActorsWhoReachEachStepInOrder() {
        ledger.record(step("ann", "signup", 1, Duration.ofHours(5)));
        ledger.record(step("ann", "signup", 1, Duration.ofHours(4))); // again: ann entered at her first
        ledger.record(step("bob", "signup", 1, Duration.ofHours(5)));
        ledger.record(step("ann", "signup", 2, Duration.ofHours(3)));
        ledger.record(step("ann", "signup", 4, Duration.ofHours(2))); // step 3 missing: not at 4 either
        ledger.record(step("cat", "signup", 2, Duration.ofHours(1))); // never entered: counts nowhere

        assertThat(funnel(ledger.drainChanged(NOW), "signup").steps()).containsExactly(
                new FunnelStep(1, 2, 1.0, 1.0, null), new FunnelStep(2, 1, 0.5, 0.5,
                        dev.northstar.model.snapshot.ConversionTimes.bucket(7200)),
                new FunnelStep(3, 0, 0.0, 0.0, null), new FunnelStep(4, 0, 0.0, 0.0, null));
    }

    @Test
    void aStepBeforeTheOneBeforeItDoesNotCount() {
        ledger.record(step("ann", "signup", 2, Duration.ofHours(6))); // before she entered
        ledger.record(step("ann", "signup", 1, Duration.ofHours(5)));
        ledger.record(step("bob", "signup", 1, Duration.ofHours(5)));
        ledger.record(step("bob", "signup", 3, Duration.ofHours(4))); // step 3 before step 2
        ledger.record(step("bob", "signup", 2, Duration.ofHours(3)));

        assertThat(funnel(ledger.drainChanged(NOW), "signup").steps()).extracting(FunnelStep::users)
                .containsExactly(2L, 1L, 0L);
    }

    @Test
    void laterStepsCountOnlyWithinTheConversionWindowOfTheEntry() {
        FrictionLedger windowed = new FrictionLedger(new ConversionWindows(7, java.util.Map.of("quick", 1)));
        for (String funnel : List.of("signup", "quick")) {
            windowed.record(step("ann", funnel, 1, Duration.ofDays(20)));
            windowed.record(step("ann", funnel, 2, Duration.ofDays(20).minus(Duration.ofDays(7)))); // exactly 7 days
            windowed.record(step("bob", funnel, 1, Duration.ofDays(20)));
            windowed.record(step("bob", funnel, 2, Duration.ofDays(20).minus(Duration.ofDays(7)).plusSeconds(1)));
            windowed.record(step("cat", funnel, 1, Duration.ofDays(20)));
            windowed.record(step("cat", funnel, 2, Duration.ofDays(12))); // 8 days later
        }
        var snapshots = windowed.drainChanged(NOW);

        FunnelProgress signup = funnel(snapshots, "signup");
        assertThat(signup.conversionWindowDays()).isEqualTo(7);
        assertThat(signup.steps()).extracting(FunnelStep::users).containsExactly(3L, 2L);
        FunnelProgress quick = funnel(snapshots, "quick");
        assertThat(quick.conversionWindowDays()).isEqualTo(1);
        assertThat(quick.steps()).extracting(FunnelStep::users).containsExactly(3L, 0L);
    }

    @Test
    void anActorEntersAtItsFirstStepOneOfTheLast28Days() {
        ledger.record(step("ann", "signup", 1, Duration.ofDays(40))); // too old to be an entry
        ledger.record(step("ann", "signup", 2, Duration.ofDays(39)));
        ledger.record(step("bob", "signup", 1, Duration.ofDays(40)));
        ledger.record(step("bob", "signup", 1, Duration.ofDays(10)));
        ledger.record(step("bob", "signup", 2, Duration.ofDays(9)));

        FunnelProgress signup = funnel(ledger.drainChanged(NOW), "signup");
        assertThat(signup.steps()).extracting(FunnelStep::users).containsExactly(1L, 1L);
        assertThat(signup.steps().get(1).medianSecondsToConvert()).isEqualTo(
                dev.northstar.model.snapshot.ConversionTimes.bucket(Duration.ofDays(1).toSeconds()));
    }

    /**
     * Against an oracle written from the definition, over random journeys whose events arrive in random
     * order: every step's users, conversions and the median time to convert.
     */
    @Test
    void stepCountsNeverIncreaseAndEqualTheOracleWhateverTheArrivalOrder() {
        java.util.Random random = new java.util.Random(17);
        List<ProductEvent> events = new java.util.ArrayList<>();
        java.util.Map<String, java.util.List<long[]>> byActor = new java.util.HashMap<>();
        for (int a = 0; a < 2_000; a++) {
            String actor = "a" + a;
            int count = 1 + random.nextInt(8);
            for (int i = 0; i < count; i++) {
                int step = 1 + random.nextInt(4);
                long ago = random.nextInt(40 * 86_400);
                events.add(step(actor, "buy", step, Duration.ofSeconds(ago)));
                byActor.computeIfAbsent(actor, k -> new java.util.ArrayList<>()).add(new long[] {step, ago});
            }
        }
        java.util.Collections.shuffle(events, random);
        events.forEach(ledger::record);

        long[] users = new long[5];
        java.util.List<java.util.List<Long>> durations = java.util.List.of(List.of(), List.of(),
                new java.util.ArrayList<>(), new java.util.ArrayList<>(), new java.util.ArrayList<>());
        long now = NOW.getEpochSecond();
        for (var journey : byActor.values()) {
            Long entry = journey.stream().filter(e -> e[0] == 1 && e[1] <= 28L * 86_400).map(e -> now - e[1])
                    .min(Long::compare).orElse(null);
            if (entry == null) {
                continue;
            }
            users[1]++;
            long previous = entry;
            for (int step = 2; step <= 4; step++) {
                final long after = previous;
                final int k = step;
                Long reached = journey.stream().filter(e -> e[0] == k).map(e -> now - e[1])
                        .filter(t -> t >= after && t <= entry + 7L * 86_400).min(Long::compare).orElse(null);
                if (reached == null) {
                    break;
                }
                users[step]++;
                durations.get(step).add(reached - previous);
                previous = reached;
            }
        }
        FunnelProgress buy = funnel(ledger.drainChanged(NOW), "buy");
        for (int step = 1; step <= 4; step++) {
            FunnelStep counted = buy.steps().get(step - 1);
            assertThat(counted.users()).as("users at step " + step).isEqualTo(users[step]);
            assertThat(counted.conversion()).as("conversion at step " + step)
                    .isEqualTo(step == 1 ? 1.0 : (double) users[step] / users[step - 1]);
            assertThat(counted.conversionFromStart()).isEqualTo((double) users[step] / users[1]);
            if (step > 1) {
                assertThat(counted.users()).as("never more than the step before").isLessThanOrEqualTo(users[step - 1]);
                List<Long> sorted = durations.get(step).stream().sorted().toList();
                assertThat(counted.medianSecondsToConvert()).as("median time to step " + step).isEqualTo(
                        dev.northstar.model.snapshot.ConversionTimes.bucket(sorted.get((sorted.size() + 1) / 2 - 1)));
            }
        }
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
    void theStateSavedBeforeOrderedFunnelsIsRefusedSoThePartitionIsRebuiltFromTheLog() throws Exception {
        byte[] old;
        try (var in = getClass().getClassLoader().getResourceAsStream("state/saved-2026-11-27.json")) {
            old = in.readAllBytes();
        }
        var codec = new FrictionSignal().ledgers();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.restore(old))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void countsErrorCodesOfTheLast28DaysApartWithTheRestAsOther() {
        ledger.record(failed("export", Duration.ofDays(1), "timeout"));
        ledger.record(failed("export", Duration.ofDays(2), "timeout"));
        ledger.record(failed("export", Duration.ofDays(3), null));
        ledger.record(failed("export", Duration.ofDays(40), "gone")); // outside the 28 days

        FeatureFriction export = feature(ledger.drainChanged(NOW), "export");
        assertThat(export.errorCodes28d()).containsExactly(new ErrorCodeCount("timeout", 2),
                new ErrorCodeCount("unknown", 1));
        assertThat(export.otherErrors28d()).isZero();
        assertThat(export.topErrorCodes()).extracting(ErrorCodeCount::errorCode).contains("gone");
    }

    @Test
    void distinctErrorCodesAreBoundedAndTheRestCountedAsOther() {
        for (int i = 0; i < FrictionLedger.MAX_CODES + 50; i++) {
            ledger.record(failed("export", Duration.ofHours(1), "E" + i));
        }

        FeatureFriction export = feature(ledger.drainChanged(NOW), "export");
        assertThat(export.errorCodes28d()).hasSize(FrictionLedger.ERROR_CODES_PER_SLICE);
        assertThat(export.otherErrors28d()).isEqualTo(FrictionLedger.MAX_CODES + 50 - FrictionLedger.ERROR_CODES_PER_SLICE);
        assertThat(export.failed28d()).isEqualTo(FrictionLedger.MAX_CODES + 50);
    }

    @Test
    void anAnonymousJourneyFinishedAfterSigningInIsOnePersonsJourney() {
        List<FrictionLedger> partitions = List.of(new FrictionLedger(ConversionWindows.DEFAULT),
                new FrictionLedger(ConversionWindows.DEFAULT));
        java.util.function.Consumer<ProductEvent> deliver = new java.util.function.Consumer<>() {
            @Override
            public void accept(ProductEvent event) {
                FrictionLedger ledger = partitions.get(Math.floorMod(event.keyActor().hashCode(), 2));
                ledger.record(event);
                ledger.drainTransfers().forEach(this);
            }
        };
        ProductEvent anonymousStep = step("x", "signup", 1, Duration.ofHours(5)).toBuilder().userId(null)
                .anonymousId("anon-9").build();
        deliver.accept(anonymousStep);
        deliver.accept(step("u-9", "signup", 2, Duration.ofHours(3)));
        deliver.accept(ProductEvent.builder().eventId("i1").type(EventType.USER_IDENTIFIED).projectId("acme")
                .anonymousId("anon-9").userId("u-9").occurredAt(NOW.minus(Duration.ofHours(4))).receivedAt(NOW).build());
        deliver.accept(step("x", "signup", 3, Duration.ofHours(2)).toBuilder().userId(null).anonymousId("anon-9")
                .build()); // after the link, anonymous again: the user's

        long[] users = new long[4];
        for (FrictionLedger ledger : partitions) {
            ledger.markAllChanged();
            ledger.drainChanged(NOW).stream().map(Keyed::value).filter(FunnelProgress.class::isInstance)
                    .flatMap(f -> ((FunnelProgress) f).steps().stream())
                    .forEach(step -> users[step.step()] += step.users());
        }
        assertThat(users).as("one person through steps 1 to 3").containsExactly(0, 1, 1, 1);
    }
}
