package dev.northstar.adoption.domain;

import dev.northstar.adoption.AdoptionSignal;
import dev.northstar.signals.LedgerContract;
import dev.northstar.model.event.EventType;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.AdoptionRecord.ProjectActivity;
import dev.northstar.model.snapshot.FeatureTrend;
import dev.northstar.model.snapshot.UserCounts;
import dev.northstar.model.snapshot.WeeklyUsers;
import dev.northstar.model.topic.Keyed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdoptionLedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final AdoptionLedger ledger = AdoptionLedger.empty();
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

    /** The state-size gauge's unit: each remembered eventId and each distinct actor once; a duplicate adds nothing. */
    @Test
    void entriesAreTheRememberedEventIdsAndTheDistinctActors() {
        assertThat(ledger.entries()).isZero();
        for (int i = 0; i < 10; i++) {
            ledger.record(used("user-" + (i % 4), "feature-" + (i % 3), Duration.ofHours(i + 1)));
        }
        assertThat(ledger.entries()).isEqualTo(10 + 4);
        ProductEvent again = ProductEvent.builder().eventId("e0").type(EventType.FEATURE_USED).projectId("acme")
                .userId("user-0").feature("feature-0").occurredAt(NOW.minusSeconds(60)).receivedAt(NOW).build();
        assertThat(ledger.record(again)).isFalse();
        assertThat(ledger.entries()).isEqualTo(14);
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
    void readsTheStateSavedInForm2() throws Exception {
        var restored = LedgerContract.assertReadsSavedState(new AdoptionSignal().ledgers(), "state/saved-2026-11-28.json",
                used("ann", "export", Duration.ofDays(3)).toBuilder().eventId("e1").build(), NOW);

        restored.markAllChanged();
        FeatureAdoption export = feature(restored.drainChanged(NOW), "export");
        assertThat(export.users()).isEqualTo(new UserCounts(1, 2, 2));
        assertThat(export.trend().weekly()).extracting(WeeklyUsers::users).containsExactly(0L, 0L, 0L, 0L, 0L, 1L, 1L, 0L);
    }

    @Test
    void theStateSavedBeforeFeaturesKeptWeeksIsRefusedSoThePartitionIsRebuiltFromTheLog() throws Exception {
        byte[] old;
        try (var in = getClass().getClassLoader().getResourceAsStream("state/saved-2026-11-27.json")) {
            old = in.readAllBytes();
        }
        var codec = new AdoptionSignal().ledgers();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.restore(old))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("form 0, not 2");
    }

    @Test
    void countsUsesOverTheLast7And28UtcDaysAndAllTime() {
        // NOW is 2026-11-24 12:00 UTC: the 7 days are 11-18..11-24, the 28 days 10-28..11-24.
        ledger.record(used("ann", "export", Duration.ofHours(1)));
        ledger.record(used("ann", "export", Duration.ofDays(6).plusHours(11))); // 11-18 01:00: inside 7 days
        ledger.record(used("bob", "export", Duration.ofDays(6).plusHours(13))); // 11-17 23:00: only 28 days
        ledger.record(used("bob", "export", Duration.ofDays(27).plusHours(11))); // 10-28: inside 28 days
        ledger.record(used("cat", "export", Duration.ofDays(27).plusHours(13))); // 10-27: all time only

        assertThat(feature(ledger.drainChanged(NOW), "export").usesByWindow())
                .isEqualTo(new dev.northstar.model.snapshot.UsesByWindow(2, 4, 5));
    }

    // --- identity (ADR 0017): partitions are ledgers here; transfers go to the ledger of their key ---

    private static ProductEvent anonymousUse(String id, String anonymous, String feature, Duration ago) {
        return ProductEvent.builder().eventId(id).type(EventType.FEATURE_USED).projectId("acme").anonymousId(anonymous)
                .feature(feature).occurredAt(NOW.minus(ago)).receivedAt(NOW).build();
    }

    private static ProductEvent identify(String id, String anonymous, String user, Duration ago) {
        return ProductEvent.builder().eventId(id).type(EventType.USER_IDENTIFIED).projectId("acme")
                .anonymousId(anonymous).userId(user).occurredAt(NOW.minus(ago)).receivedAt(NOW).build();
    }

    /** Routes an event to the partition of its key, and every transfer it causes on, until none is left. */
    private static void deliver(List<AdoptionLedger> partitions, ProductEvent event) {
        java.util.ArrayDeque<ProductEvent> queue = new java.util.ArrayDeque<>(List.of(event));
        while (!queue.isEmpty()) {
            ProductEvent next = queue.poll();
            AdoptionLedger ledger = partitions.get(Math.floorMod(next.keyActor().hashCode(), partitions.size()));
            ledger.record(next);
            queue.addAll(ledger.drainTransfers());
        }
    }

    private static UserCounts users(List<AdoptionLedger> partitions, String feature) {
        long d7 = 0;
        long d28 = 0;
        long all = 0;
        for (AdoptionLedger ledger : partitions) {
            ledger.markAllChanged();
            for (Keyed<AdoptionRecord> k : ledger.drainChanged(NOW)) {
                UserCounts c = feature == null
                        ? (k.value() instanceof ProjectActivity a ? a.activeUsers() : null)
                        : (k.value() instanceof FeatureAdoption f && f.feature().equals(feature) ? f.users() : null);
                if (c != null) {
                    d7 += c.d7();
                    d28 += c.d28();
                    all += c.all();
                }
            }
        }
        return new UserCounts(d7, d28, all);
    }

    @Test
    void anAnonymousActorIdentifiedLaterCountsAsItsUserEverywhereAndAnotherLinkIsIgnored() {
        List<AdoptionLedger> partitions = List.of(AdoptionLedger.empty(), AdoptionLedger.empty(), AdoptionLedger.empty());
        deliver(partitions, anonymousUse("a1", "anon-1", "export", Duration.ofDays(20)));
        deliver(partitions, anonymousUse("a2", "anon-1", "import", Duration.ofDays(3)));
        deliver(partitions, used("u-1", "export", Duration.ofDays(1)).toBuilder().eventId("u1").build());
        assertThat(users(partitions, "export").all()).as("two ids before the link").isEqualTo(2);

        deliver(partitions, identify("i1", "anon-1", "u-1", Duration.ofDays(1)));
        deliver(partitions, anonymousUse("a3", "anon-1", "report", Duration.ofHours(2))); // after: the user's
        deliver(partitions, identify("i2", "anon-1", "u-2", Duration.ofHours(1))); // a second link: ignored

        assertThat(users(partitions, "export")).isEqualTo(new UserCounts(1, 1, 1));
        assertThat(users(partitions, "import")).isEqualTo(new UserCounts(1, 1, 1));
        assertThat(users(partitions, "report")).isEqualTo(new UserCounts(1, 1, 1));
        assertThat(users(partitions, null)).as("active people").isEqualTo(new UserCounts(1, 1, 1));
        assertThat(partitions.stream().mapToLong(AdoptionLedger::conflictingLinks).sum()).isEqualTo(1);
        long uses = 0;
        for (AdoptionLedger ledger : partitions) {
            ledger.markAllChanged();
            uses += ledger.drainChanged(NOW).stream().map(Keyed::value).filter(FeatureAdoption.class::isInstance)
                    .mapToLong(r -> ((FeatureAdoption) r).uses()).sum();
        }
        assertThat(uses).as("uses are per event: every event once").isEqualTo(4);
    }

    /**
     * Random people over three partitions, anonymous ids linked to users before, between and after their
     * events, some linked twice: every window's users and active people equal an oracle computed on the
     * final mapping (first link of an anonymous id wins), and the daily users too.
     */
    @Test
    void peopleEqualTheOracleOnTheFinalMappingWhateverTheOrder() {
        java.util.Random random = new java.util.Random(2026);
        List<AdoptionLedger> partitions = List.of(AdoptionLedger.empty(), AdoptionLedger.empty(), AdoptionLedger.empty());
        java.util.Map<String, String> link = new java.util.HashMap<>();
        List<ProductEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String feature = "f" + random.nextInt(4);
            Duration ago = Duration.ofMinutes(random.nextInt(40 * 24 * 60));
            if (random.nextInt(4) == 0) {
                events.add(used("user-" + random.nextInt(200), feature, ago).toBuilder().eventId("e" + i).build());
            } else {
                events.add(anonymousUse("e" + i, "anon-" + random.nextInt(400), feature, ago));
            }
        }
        for (int a = 0; a < 300; a++) {
            events.add(random.nextInt(events.size() + 1),
                    identify("i" + a, "anon-" + a, "user-" + random.nextInt(200), Duration.ofMinutes(random.nextInt(60))));
            if (a % 10 == 0) { // a second, different link: ignored when it comes second
                events.add(random.nextInt(events.size() + 1),
                        identify("j" + a, "anon-" + a, "user-x" + a, Duration.ofMinutes(1)));
            }
        }
        for (ProductEvent e : events) {
            if (e.type() == EventType.USER_IDENTIFIED) {
                link.putIfAbsent(e.anonymousId(), e.userId()); // arrival order: the first wins
            }
        }
        events.forEach(e -> deliver(partitions, e));

        java.util.Map<String, java.util.Map<String, Long>> latest = new java.util.HashMap<>();
        for (ProductEvent e : events) {
            if (e.type() != EventType.FEATURE_USED) {
                continue;
            }
            String person = e.userId() != null ? e.userId() : link.getOrDefault(e.anonymousId(), e.anonymousId());
            latest.computeIfAbsent(e.feature(), f -> new java.util.HashMap<>())
                    .merge(person, e.occurredAt().toEpochMilli(), Math::max);
        }
        for (String feature : latest.keySet()) {
            var times = latest.get(feature).values();
            UserCounts oracle = new UserCounts(
                    times.stream().filter(t -> t > NOW.minus(D7_OF_TEST).toEpochMilli()).count(),
                    times.stream().filter(t -> t > NOW.minus(D28_OF_TEST).toEpochMilli()).count(), times.size());
            assertThat(users(partitions, feature)).as("users of " + feature).isEqualTo(oracle);
        }
        // Daily users of f0: distinct people per UTC day of the series.
        java.util.Map<java.time.LocalDate, java.util.Set<String>> daily = new java.util.TreeMap<>();
        for (ProductEvent e : events) {
            if (e.type() == EventType.FEATURE_USED && e.feature().equals("f0")) {
                String person = e.userId() != null ? e.userId() : link.getOrDefault(e.anonymousId(), e.anonymousId());
                daily.computeIfAbsent(java.time.LocalDate.ofInstant(e.occurredAt(), java.time.ZoneOffset.UTC),
                        d -> new java.util.HashSet<>()).add(person);
            }
        }
        java.util.Map<java.time.LocalDate, Long> counted = new java.util.TreeMap<>();
        for (AdoptionLedger ledger : partitions) {
            ledger.markAllChanged();
            ledger.drainChanged(NOW).stream().map(Keyed::value)
                    .filter(r -> r instanceof FeatureAdoption f && f.feature().equals("f0"))
                    .flatMap(r -> ((FeatureAdoption) r).daily().stream())
                    .forEach(d -> counted.merge(d.day(), d.users(), Long::sum));
        }
        counted.forEach((day, n) -> assertThat(n).as("people on " + day)
                .isEqualTo(daily.getOrDefault(day, java.util.Set.of()).size()));
        assertThat(counted.values().stream().mapToLong(Long::longValue).sum()).isPositive();
    }

    /**
     * Random people over three partitions and 60 days, anonymous ids linked before, between and after
     * their events: each feature's users per ISO week (8 weeks), of the last 7 UTC days and the 7
     * before, and its returning users (2 or more distinct days of the 28-day series) equal an oracle
     * computed from the events on the final mapping; the slices of the partitions add up to it.
     */
    @Test
    void weeklyUsersTheLastTwoWeeksAndReturningUsersEqualTheOracle() {
        java.util.Random random = new java.util.Random(48);
        List<AdoptionLedger> partitions = List.of(AdoptionLedger.empty(), AdoptionLedger.empty(), AdoptionLedger.empty());
        List<ProductEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            String feature = "f" + random.nextInt(3);
            Duration ago = Duration.ofMinutes(random.nextInt(60 * 24 * 60));
            events.add(random.nextInt(3) == 0
                    ? used("user-" + random.nextInt(150), feature, ago).toBuilder().eventId("e" + i).build()
                    : anonymousUse("e" + i, "anon-" + random.nextInt(300), feature, ago));
        }
        for (int a = 0; a < 200; a++) {
            events.add(random.nextInt(events.size() + 1),
                    identify("i" + a, "anon-" + a, "user-" + random.nextInt(150), Duration.ofMinutes(random.nextInt(60))));
        }
        java.util.Map<String, String> link = new java.util.HashMap<>();
        events.stream().filter(e -> e.type() == EventType.USER_IDENTIFIED)
                .forEach(e -> link.putIfAbsent(e.anonymousId(), e.userId()));
        events.forEach(e -> deliver(partitions, e));

        java.time.LocalDate today = java.time.LocalDate.ofInstant(NOW, java.time.ZoneOffset.UTC);
        java.time.LocalDate thisMonday = today.minusDays(today.getDayOfWeek().getValue() - 1L);
        java.util.Map<String, java.util.Map<java.time.LocalDate, java.util.Set<String>>> days = new java.util.HashMap<>();
        for (ProductEvent e : events) {
            if (e.type() == EventType.FEATURE_USED) {
                String person = e.userId() != null ? e.userId() : link.getOrDefault(e.anonymousId(), e.anonymousId());
                days.computeIfAbsent(e.feature(), f -> new java.util.HashMap<>())
                        .computeIfAbsent(java.time.LocalDate.ofInstant(e.occurredAt(), java.time.ZoneOffset.UTC),
                                d -> new java.util.HashSet<>()).add(person);
            }
        }
        java.util.Map<String, FeatureTrend> trends = new java.util.HashMap<>();
        java.util.Map<String, Long> returning = new java.util.HashMap<>();
        for (AdoptionLedger ledger : partitions) {
            ledger.markAllChanged();
            for (Keyed<AdoptionRecord> k : ledger.drainChanged(NOW)) {
                if (k.value() instanceof FeatureAdoption f) {
                    returning.merge(f.feature(), f.returningUsers(), Long::sum);
                    trends.merge(f.feature(), f.trend(), (a, b) -> new FeatureTrend(
                            java.util.stream.IntStream.range(0, a.weekly().size()).mapToObj(w -> new WeeklyUsers(
                                    a.weekly().get(w).week(), a.weekly().get(w).start(),
                                    a.weekly().get(w).users() + b.weekly().get(w).users())).toList(),
                            a.last7Days() + b.last7Days(), a.previous7Days() + b.previous7Days()));
                }
            }
        }
        assertThat(trends).containsOnlyKeys(days.keySet());
        days.forEach((feature, byDay) -> {
            java.util.function.BiFunction<java.time.LocalDate, Integer, Long> people = (from, n) -> byDay.entrySet().stream()
                    .filter(d -> !d.getKey().isBefore(from) && d.getKey().isBefore(from.plusDays(n)))
                    .flatMap(d -> d.getValue().stream()).distinct().count();
            FeatureTrend trend = trends.get(feature);
            assertThat(trend.weekly()).hasSize(8);
            for (int w = 0; w < 8; w++) {
                java.time.LocalDate monday = thisMonday.minusWeeks(7 - w);
                assertThat(trend.weekly().get(w).start()).isEqualTo(monday);
                assertThat(trend.weekly().get(w).week()).isEqualTo(WeeklyUsers.isoWeek(monday));
                assertThat(trend.weekly().get(w).users()).as(feature + " in the week of " + monday)
                        .isEqualTo(people.apply(monday, 7)).isPositive();
            }
            assertThat(trend.last7Days()).as(feature + ", last 7 days").isEqualTo(people.apply(today.minusDays(6), 7));
            assertThat(trend.previous7Days()).as(feature + ", the 7 before").isEqualTo(people.apply(today.minusDays(13), 7));
            java.util.Map<String, Long> daysPerPerson = byDay.entrySet().stream()
                    .filter(d -> !d.getKey().isBefore(today.minusDays(27)))
                    .flatMap(d -> d.getValue().stream())
                    .collect(java.util.stream.Collectors.groupingBy(x -> x, java.util.stream.Collectors.counting()));
            assertThat(returning.get(feature)).as(feature + " returning users")
                    .isEqualTo(daysPerPerson.values().stream().filter(n -> n >= 2).count()).isPositive();
        });
    }

    private static final Duration D7_OF_TEST = Duration.ofDays(7);
    private static final Duration D28_OF_TEST = Duration.ofDays(28);
}
