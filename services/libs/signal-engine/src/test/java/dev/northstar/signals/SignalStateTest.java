package dev.northstar.signals;

import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.signals.store.JsonFileStore;
import dev.northstar.signals.store.MemoryStore;
import dev.northstar.signals.store.PartitionStore;
import dev.northstar.model.snapshot.DeadLetter;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.topic.Keyed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SignalStateTest {

    private static final String TOPIC = "northstar.events.v1";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Distinct users per project: the smallest ledger with real state. */
    static final class UsersLedger implements EventLedger<Long> {
        final Map<String, LinkedHashSet<String>> users = new HashMap<>();
        final Set<String> seen = new LinkedHashSet<>();
        private final transient Set<String> changed = new LinkedHashSet<>();

        static final Ledger.Codec<ProductEvent, Long> CODEC = LedgerJson.codec(UsersLedger.class, UsersLedger::new);

        @Override
        public boolean record(ProductEvent event) {
            if (!seen.add(event.projectId() + "/" + event.eventId())) {
                return false;
            }
            users.computeIfAbsent(event.projectId(), p -> new LinkedHashSet<>()).add(event.userId());
            changed.add(event.projectId());
            return true;
        }

        @Override
        public List<Keyed<Long>> drainChanged(Instant now) {
            List<Keyed<Long>> out = changed.stream().map(p -> new Keyed<>(p, (long) users.get(p).size())).toList();
            changed.clear();
            return out;
        }

        @Override
        public void markAllChanged() {
            changed.addAll(users.keySet());
        }
    }

    /** A consumer's position as the state set it. */
    static final class Positions implements PartitionedState.Seeker {
        final Map<TopicPartition, Long> at = new HashMap<>();
        final Map<TopicPartition, Long> ends = new HashMap<>();
        final Map<TopicPartition, Long> starts = new HashMap<>();

        Positions endingAt(TopicPartition partition, long end) {
            ends.put(partition, end);
            return this;
        }

        Positions startingAt(TopicPartition partition, long start) {
            starts.put(partition, start);
            return this;
        }

        final Map<TopicPartition, Long> committed = new HashMap<>();

        Positions committedAt(TopicPartition partition, long offset) {
            committed.put(partition, offset);
            return this;
        }

        @Override
        public java.util.OptionalLong committedOffset(TopicPartition partition) {
            Long offset = committed.get(partition);
            return offset == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(offset);
        }

        @Override
        public java.util.OptionalLong startOffset(TopicPartition partition) {
            return java.util.OptionalLong.of(starts.getOrDefault(partition, 0L));
        }

        @Override
        public java.util.OptionalLong recordsEnd(TopicPartition partition) {
            return java.util.OptionalLong.of(ends.getOrDefault(partition, 0L));
        }

        @Override
        public void seek(TopicPartition partition, long offset) {
            at.put(partition, offset);
        }

        @Override
        public void seekToBeginning(TopicPartition partition) {
            at.put(partition, 0L);
        }
    }

    // Synchronized: a large batch is parsed on several threads, and each may dead-letter.
    private final List<DeadLetter> deadLetters = java.util.Collections.synchronizedList(new ArrayList<>());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private SignalState<ProductEvent, Long> state(PartitionStore store) {
        return state(store, UsersLedger.CODEC);
    }

    private SignalState<ProductEvent, Long> state(PartitionStore store, Ledger.Codec<ProductEvent, Long> codec) {
        DeadLetters dlq = new DeadLetters(dev.northstar.testkit.DeadLetterTopics.collecting(deadLetters), meters, CLOCK, "test");
        return new SignalState<>("test", InputReader.productEvents(), codec, store, new IncomingRecords(dlq), dlq, CLOCK, meters);
    }

    private static ConsumerRecord<String, byte[]> event(TopicPartition partition, long offset, String project,
                                                        String eventId, String user) {
        String json = "{\"schemaVersion\":\"1.0\",\"eventId\":\"" + eventId + "\",\"type\":\"feature_used\",\"projectId\":\""
                + project + "\",\"userId\":\"" + user + "\",\"feature\":\"export\",\"occurredAt\":\"2026-11-24T10:00:00Z\","
                + "\"receivedAt\":\"2026-11-24T11:00:00Z\",\"clockCorrected\":false,\"properties\":{}}";
        return record(partition, offset, dev.northstar.model.topic.Topics.eventKey(project, user),
                json.getBytes(StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition partition, long offset, String key, byte[] value) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset,
                CLOCK.millis(), org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, value.length, key, value,
                new org.apache.kafka.common.header.internals.RecordHeaders(), Optional.empty());
    }

    @SafeVarargs
    static ConsumerRecords<String, byte[]> batch(ConsumerRecord<String, byte[]>... records) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new HashMap<>();
        for (var r : records) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>()).add(r);
        }
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    private static Map<String, Long> published(SignalState<ProductEvent, Long> state) {
        Map<String, Long> out = new HashMap<>();
        state.markAllChanged();
        state.drainChanged().forEach(k -> out.put(k.key(), k.value()));
        return out;
    }

    @Test
    void aRestartResumesFromTheSavedStateAndOffsetAndCountsNothingTwice() {
        PartitionStore store = new JsonFileStore(dir, reason -> { });
        SignalState<ProductEvent, Long> first = state(store);
        first.assigned(List.of(P0, P1), new Positions());
        first.consume(batch(event(P0, 0, "a", "e1", "u1"), event(P0, 1, "a", "e2", "u2"), event(P1, 0, "b", "e3", "u1")));
        first.saveChanged();
        first.consume(batch(event(P0, 2, "a", "e4", "u3"))); // counted, but never saved: the "crash" loses it

        SignalState<ProductEvent, Long> second = state(store);
        Positions positions = new Positions();
        second.assigned(List.of(P0, P1), positions);

        assertThat(positions.at).containsEntry(P0, 2L).containsEntry(P1, 1L);
        assertThat(published(second)).containsEntry("a", 2L).containsEntry("b", 1L);
        // The consumer reads again from offset 2 (and a stale fetch may redeliver offset 1): exact again.
        second.consume(batch(event(P0, 1, "a", "e2", "u2"), event(P0, 2, "a", "e4", "u3")));
        assertThat(published(second)).containsEntry("a", 3L);
    }

    /**
     * A save serializes a partition's state outside the engine's lock: while it does, the other
     * partitions are counted and published, and the saving partition's records wait and are counted
     * (once) as soon as the save has its copy; the copy is the state as it was when the save began.
     */
    @Test
    void whileAPartitionIsSerializedTheOthersAreCountedAndItsOwnRecordsWait() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Ledger.Codec<ProductEvent, Long> slow = new Ledger.Codec<>() {
            @Override
            public Ledger<ProductEvent, Long> empty() {
                return UsersLedger.CODEC.empty();
            }

            @Override
            public byte[] save(Ledger<ProductEvent, Long> ledger) {
                return UsersLedger.CODEC.save(ledger);
            }

            @Override
            public Ledger<ProductEvent, Long> restore(byte[] bytes) throws java.io.IOException {
                return UsersLedger.CODEC.restore(bytes);
            }

            @Override
            public dev.northstar.signals.store.StateBytes saveState(Ledger<ProductEvent, Long> ledger) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return UsersLedger.CODEC.saveState(ledger);
            }
        };
        PartitionStore store = new JsonFileStore(dir, reason -> { });
        SignalState<ProductEvent, Long> state = state(store, slow);
        state.assigned(List.of(P0, P1), new Positions());
        state.consume(batch(event(P0, 0, "a", "e1", "u1"), event(P1, 0, "b", "e2", "u1")));
        state.drainChanged();

        Thread saver = new Thread(state::saveChanged, "saver");
        saver.start();
        assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("a save is serializing").isTrue();
        // Both partitions get a record while one of them is being serialized.
        state.consume(batch(event(P0, 1, "a", "e3", "u2"), event(P1, 1, "b", "e4", "u2")))
                .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        Map<String, Long> meanwhile = new HashMap<>();
        state.drainChanged().forEach(k -> meanwhile.put(k.key(), k.value()));
        assertThat(meanwhile).as("only the partition not being saved was counted and published").hasSize(1)
                .containsValue(2L);

        release.countDown();
        saver.join(10_000);
        assertThat(published(state)).containsEntry("a", 2L).containsEntry("b", 2L);
        // What was saved is each partition as it was when its save began, with that offset: a restart is exact.
        SignalState<ProductEvent, Long> restarted = state(store);
        Positions positions = new Positions();
        restarted.assigned(List.of(P0, P1), positions);
        restarted.consume(batch(event(P0, 1, "a", "e3", "u2"), event(P1, 1, "b", "e4", "u2")));
        assertThat(published(restarted)).containsEntry("a", 2L).containsEntry("b", 2L);
    }

    @Test
    void theMemoryStoreReplaysFromTheBeginningAndDuplicatesAreDropped() {
        SignalState<ProductEvent, Long> state = state(new MemoryStore());
        Positions positions = new Positions();
        state.assigned(List.of(P0), positions);
        assertThat(positions.at).containsEntry(P0, 0L);

        state.consume(batch(event(P0, 0, "a", "e1", "u1"), event(P0, 1, "a", "e1", "u1"), event(P0, 2, "a", "e2", "u2")));

        assertThat(published(state)).containsEntry("a", 2L);
        assertThat(meters.counter("northstar_events_duplicates", "service", "test").count()).isEqualTo(1);
        assertThat(state.unsavedFor(CLOCK.instant())).isEmpty();
    }

    @Test
    void aCorruptSnapshotIsRebuiltFromTheLogInsteadOfServingWrongNumbers() throws IOException {
        List<String> unusable = new ArrayList<>();
        JsonFileStore store = new JsonFileStore(dir, unusable::add);
        SignalState<ProductEvent, Long> first = state(store);
        first.assigned(List.of(P0), new Positions());
        first.consume(batch(event(P0, 0, "a", "e1", "u1")));
        first.saveChanged();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.write(f, "{\"format\":1}\ngarbage".getBytes(StandardCharsets.UTF_8));
            }
        }

        SignalState<ProductEvent, Long> second = state(store);
        Positions positions = new Positions();
        second.assigned(List.of(P0), positions);

        assertThat(unusable).isNotEmpty();
        assertThat(positions.at).containsEntry(P0, 0L);
        assertThat(published(second)).isEmpty();
    }

    @Test
    void unreadableRecordsAreDeadLetteredAndTheRestStillCounted() {
        SignalState<ProductEvent, Long> state = state(new MemoryStore());
        state.assigned(List.of(P0), new Positions());

        state.consume(batch(record(P0, 0, "a", "{not json".getBytes(StandardCharsets.UTF_8)),
                event(P0, 1, "a", "e1", "BAD USER\u0000"), event(P0, 2, "a", "e2", "u2")));

        assertThat(deadLetters).hasSize(2);
        assertThat(published(state)).containsEntry("a", 1L);
    }

    @Test
    void aLargeBatchIsParsedInParallelButCountedInOffsetOrder() {
        UsersLedger ledger = new UsersLedger();
        SignalState<ProductEvent, Long> state = state(new MemoryStore(), new Ledger.Codec<>() {
            @Override
            public Ledger<ProductEvent, Long> empty() {
                return ledger;
            }

            @Override
            public byte[] save(Ledger<ProductEvent, Long> ledger) {
                throw new AssertionError("the memory store never saves");
            }

            @Override
            public Ledger<ProductEvent, Long> restore(byte[] bytes) {
                throw new AssertionError("the memory store never restores");
            }
        });
        state.assigned(List.of(P0), new Positions());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        Set<String> users = new java.util.HashSet<>();
        List<String> expectedOrder = new ArrayList<>();
        Set<Long> poisonOffsets = new java.util.TreeSet<>();
        for (int offset = 0; offset < 2_000; offset++) {
            if (offset % 10 == 7) {
                records.add(record(P0, offset, "a", ("{broken " + offset).getBytes(StandardCharsets.UTF_8)));
                poisonOffsets.add((long) offset);
            } else {
                // Every fifth id repeats the previous one: a duplicate, dropped where it stands.
                int id = offset % 5 == 4 ? offset - 1 : offset;
                records.add(event(P0, offset, "a", "e" + id, "u" + (offset % 300)));
                if (id == offset) {
                    expectedOrder.add("a/e" + id);
                    users.add("u" + (offset % 300));
                }
            }
        }

        state.consume(batch(records.toArray(ConsumerRecord[]::new)));

        assertThat(new ArrayList<>(ledger.seen)).containsExactlyElementsOf(expectedOrder);
        assertThat(deadLetters).extracting(DeadLetter::sourceOffset).containsExactlyInAnyOrderElementsOf(poisonOffsets);
        assertThat(published(state)).containsEntry("a", (long) users.size());
        assertThat(meters.counter("northstar_events_duplicates", "service", "test").count()).isEqualTo(400);
    }

    /** Another service's snapshot, as a consumer of a snapshot topic reads it. */
    record Tally(String projectId, long count) {
    }

    /** The latest count per project, from a compacted topic of tallies: the engine on another input. */
    static final class LatestTallies implements Ledger<Tally, Long> {
        final Map<String, Long> latest = new HashMap<>();
        private final transient Set<String> changed = new LinkedHashSet<>();

        @Override
        public boolean record(Tally tally) {
            latest.put(tally.projectId(), tally.count());
            changed.add(tally.projectId());
            return true;
        }

        @Override
        public List<Keyed<Long>> drainChanged(Instant now) {
            List<Keyed<Long>> out = changed.stream().map(p -> new Keyed<>(p, latest.get(p) * 2)).toList();
            changed.clear();
            return out;
        }

        @Override
        public void markAllChanged() {
            changed.addAll(latest.keySet());
        }
    }

    @Test
    void theEngineServesAnyInputTopicWithItsStoreAndDeadLetters() throws IOException {
        DeadLetters dlq = new DeadLetters(dev.northstar.testkit.DeadLetterTopics.collecting(deadLetters), meters, CLOCK, "test");
        var codec = LedgerJson.<Tally, Long, LatestTallies>codec(LatestTallies.class, LatestTallies::new);
        var store = new JsonFileStore(dir, reason -> { });
        var first = new SignalState<>("test", InputReader.values(Tally.class), codec, store, new IncomingRecords(dlq),
                dlq, CLOCK, meters);
        TopicPartition snapshots = new TopicPartition("northstar.feature-adoption.v1", 0);
        first.assigned(List.of(snapshots), new Positions());

        first.consume(batch(
                record(snapshots, 0, "a", "{\"projectId\":\"a\",\"count\":3}".getBytes(StandardCharsets.UTF_8)),
                record(snapshots, 1, "b", "{not a tally".getBytes(StandardCharsets.UTF_8)),
                record(snapshots, 2, "a", "{\"projectId\":\"a\",\"count\":5}".getBytes(StandardCharsets.UTF_8))));
        first.saveChanged();
        var second = new SignalState<>("test", InputReader.values(Tally.class), codec, store, new IncomingRecords(dlq),
                dlq, CLOCK, meters);
        Positions positions = new Positions();
        second.assigned(List.of(snapshots), positions);
        second.markAllChanged();

        assertThat(second.drainChanged()).containsExactly(new Keyed<>("a", 10L));
        assertThat(positions.at).containsEntry(snapshots, 3L);
        assertThat(deadLetters).extracting(DeadLetter::sourceOffset).containsExactly(1L);
    }

    @Test
    void aReplayingPartitionPublishesNothingUntilItReachedTheEndItHadWhenAssigned() {
        SignalState<ProductEvent, Long> state = state(new MemoryStore());
        state.assigned(List.of(P0, P1), new Positions().endingAt(P0, 3).endingAt(P1, 1));

        state.consume(batch(event(P0, 0, "a", "e1", "u1"), event(P0, 1, "a", "e2", "u2"), event(P1, 0, "b", "e3", "u3")));

        assertThat(state.behind()).containsExactly(Map.entry(P0, 1L));
        assertThat(state.drainChanged()).as("b caught up, a still replaying").containsExactly(new Keyed<>("b", 1L));

        state.consume(batch(event(P0, 2, "a", "e4", "u3")));

        assertThat(state.behind()).isEmpty();
        assertThat(state.drainChanged()).as("a's changes were kept, not lost").containsExactly(new Keyed<>("a", 3L));
    }

    @Test
    void untilItsFirstAssignmentAnInstanceCannotKnowWhatItOwns() {
        SignalState<ProductEvent, Long> state = state(new MemoryStore());

        assertThat(state.assignedOnce()).isFalse();
        state.assigned(List.of(), new Positions());
        assertThat(state.assignedOnce()).as("an empty assignment is an assignment").isTrue();
        assertThat(state.behind()).isEmpty();
    }

    @Test
    void aPartitionRestoredAtItsEndIsCaughtUpAtOnce() throws IOException {
        var store = new JsonFileStore(dir, reason -> { });
        SignalState<ProductEvent, Long> first = state(store);
        first.assigned(List.of(P0), new Positions());
        first.consume(batch(event(P0, 0, "a", "e1", "u1"), event(P0, 1, "a", "e2", "u2")));
        first.saveChanged();

        SignalState<ProductEvent, Long> second = state(store);
        second.assigned(List.of(P0), new Positions().endingAt(P0, 2));

        assertThat(second.behind()).isEmpty();
        assertThat(second.drainChanged()).containsExactly(new Keyed<>("a", 2L));
    }

    @Test
    void recordsOfAPartitionNoLongerOwnedAreLeftToItsNewOwner() {
        SignalState<ProductEvent, Long> state = state(new MemoryStore());
        state.assigned(List.of(P0, P1), new Positions());
        state.revoked(List.of(P1));

        state.consume(batch(event(P0, 0, "a", "e1", "u1"), event(P1, 0, "b", "e2", "u2")));

        assertThat(published(state)).containsOnlyKeys("a");
    }

    @Test
    void whenSavesKeepFailingTheUnsavedAgeGrows() throws IOException {
        Path file = dir.resolve("not-a-directory");
        Files.writeString(file, "x"); // the store's directory cannot be created: every save fails
        SignalState<ProductEvent, Long> state = state(new JsonFileStore(file, reason -> { }));
        state.assigned(List.of(P0), new Positions());
        state.consume(batch(event(P0, 0, "a", "e1", "u1")));

        state.saveChanged();

        assertThat(meters.counter("northstar_store_save_failures", "service", "test").count()).isEqualTo(1);
        assertThat(state.unsavedFor(CLOCK.instant().plus(Duration.ofMinutes(5))))
                .hasValueSatisfying(age -> assertThat(age).isEqualTo(Duration.ofMinutes(5)));
    }

    /** The consumer as the state asks it to read again and to commit. */
    static final class Rewinds implements PartitionedState.InputPositions {
        final List<String> asked = new ArrayList<>();
        final Map<TopicPartition, Long> committed = new HashMap<>();

        @Override
        public void rewind(TopicPartition partition, long offset) {
            asked.add(partition + "@" + offset);
        }

        @Override
        public void commit(Map<TopicPartition, Long> nextOffsets) {
            committed.putAll(nextOffsets);
        }
    }

    @Test
    void aBatchReadUnderAnOwnershipThatEndedIsLeftToTheNewOwnerWhichCountsEveryRecordOnce() {
        // The partition is revoked and assigned again (memory store: the new state replays from 0) while
        // a batch of offsets 20..29 is being parsed: that batch must not be applied to the new state,
        // or offsets 0..19, read again next, would be taken as already reflected (an undercount of 20).
        Positions positions = new Positions();
        SignalState<ProductEvent, Long>[] holder = new SignalState[1];
        DeadLetters dlq = new DeadLetters(dev.northstar.testkit.DeadLetterTopics.collecting(deadLetters), meters, CLOCK, "test");
        var once = new java.util.concurrent.atomic.AtomicBoolean();
        InputReader<ProductEvent> rebalancingReader = (record, records) -> {
            if (record.offset() == 25 && once.compareAndSet(false, true)) {
                holder[0].revoked(List.of(P0));
                holder[0].assigned(List.of(P0), positions);
            }
            return records.event(record);
        };
        holder[0] = new SignalState<>("test", rebalancingReader, UsersLedger.CODEC, new MemoryStore(),
                new IncomingRecords(dlq), dlq, CLOCK, meters);
        SignalState<ProductEvent, Long> state = holder[0];
        state.assigned(List.of(P0), new Positions());
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(event(P0, i, "a", "e" + i, "u" + i));
        }
        state.consume(batch(all.subList(0, 20).toArray(ConsumerRecord[]::new)));
        // Small batches are parsed on this thread, in order: the rebalance happens mid-parse.
        for (int i = 20; i < 30; i++) {
            state.consume(batch(all.get(i)));
        }
        assertThat(positions.at).containsEntry(P0, 0L);
        assertThat(published(state)).isEmpty();

        state.consume(batch(all.toArray(ConsumerRecord[]::new)));

        assertThat(published(state)).containsEntry("a", 30L);
    }

    @Test
    void aBatchThatDoesNotFollowOnIsLeftTheConsumerRewoundAndRecordsDeletedMeanwhileReported() {
        SignalState<ProductEvent, Long> state = state(new MemoryStore());
        Rewinds rewinds = new Rewinds();
        state.positions(rewinds);
        state.assigned(List.of(P0), new Positions());
        state.consume(batch(event(P0, 0, "a", "e0", "u0"), event(P0, 1, "a", "e1", "u1")));

        state.consume(batch(event(P0, 5, "a", "e5", "u5"), event(P0, 6, "a", "e6", "u6")));

        assertThat(published(state)).containsEntry("a", 2L);
        assertThat(rewinds.asked).containsExactly(P0 + "@2");
        assertThat(state.lostInput()).isEmpty();
        // Reading again from 2, the consumer finds the log now starts at 5: offsets 2..4 are gone.
        state.logStartsAt(P0, 2, 5);
        state.consume(batch(event(P0, 5, "a", "e5", "u5"), event(P0, 6, "a", "e6", "u6")));

        assertThat(published(state)).containsEntry("a", 4L);
        assertThat(state.lostInput()).containsExactly(Map.entry(P0, 3L));
        assertThat(meters.counter("northstar_input_records_lost", "service", "test").count()).isEqualTo(3);
    }

    @Test
    void offsetsThatHoldNoRecordsATransactionsMarkersAreGoneOnceReadingAgainConfirmsIt() {
        SignalState<ProductEvent, Long> state = state(new MemoryStore());
        Rewinds rewinds = new Rewinds();
        state.positions(rewinds);
        state.assigned(List.of(P0), new Positions());
        state.consume(batch(event(P0, 0, "a", "e0", "u0"), event(P0, 1, "a", "e1", "u1")));
        // Offset 2 is a commit marker: the consumer never hands it over; the next record is 3.
        state.consume(batch(event(P0, 3, "a", "e3", "u3")));
        assertThat(rewinds.asked).containsExactly(P0 + "@2");
        assertThat(published(state)).containsEntry("a", 2L);
        // Read again from 2 (the log starts at 0: nothing was deleted), the first record is 3 again.
        state.consume(batch(event(P0, 3, "a", "e3", "u3"), event(P0, 4, "a", "e4", "u4")));
        assertThat(published(state)).containsEntry("a", 4L);
        // Another marker later is the same: one rewind, then on; nothing is ever reported lost.
        state.consume(batch(event(P0, 7, "a", "e7", "u7")));
        state.consume(batch(event(P0, 7, "a", "e7", "u7")));
        assertThat(rewinds.asked).containsExactly(P0 + "@2", P0 + "@5");
        assertThat(published(state)).containsEntry("a", 5L);
        assertThat(state.lostInput()).isEmpty();
    }

    @Test
    void aPartitionWhoseLogStartsAfterWhatTheStateReflectsIsReportedAndReadFromItsStart() {
        SignalState<ProductEvent, Long> state = state(new MemoryStore());
        Positions positions = new Positions().startingAt(P0, 1000);
        state.assigned(List.of(P0, P1), positions);

        assertThat(state.lostInput()).containsExactly(Map.entry(P0, 1000L));
        assertThat(positions.at).containsEntry(P0, 1000L).containsEntry(P1, 0L);
        state.consume(batch(event(P0, 1000, "a", "e1", "u1")));
        assertThat(published(state)).containsEntry("a", 1L);
    }

    @Test
    void aBatchIsAppliedOnlyOnceItsDeadLettersAreOnTheTopicAndALetterTheTopicRefusedIsSentAgain() throws Exception {
        // 5,000 unreadable records in one poll beside 100 valid ones; the topic refuses the first 3 sends.
        var emitter = dev.northstar.testkit.DeadLetterTopics.holding(3);
        DeadLetters dlq = new DeadLetters(emitter, meters, CLOCK, "test");
        SignalState<ProductEvent, Long> state = new SignalState<>("test", InputReader.productEvents(), UsersLedger.CODEC,
                new MemoryStore(), new IncomingRecords(dlq), dlq, CLOCK, meters);
        Rewinds commits = new Rewinds();
        state.positions(commits);
        state.assigned(List.of(P0), new Positions());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 5100; i++) {
            records.add(i % 51 == 0 ? event(P0, i, "a", "e" + i, "u" + i)
                    : record(P0, i, "a", ("{broken " + i).getBytes(StandardCharsets.UTF_8)));
        }

        var applied = state.consume(batch(records.toArray(ConsumerRecord[]::new))).toCompletableFuture();

        assertThat(applied).isNotDone();
        assertThat(published(state)).isEmpty();
        state.commitCheckpoints();
        assertThat(commits.committed).isEmpty();
        // The three refused letters are sent again after their pause; until every letter is taken, nothing moves.
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
             emitter.sends() < 5000 + 3 && System.nanoTime() < deadline; ) {
            Thread.sleep(20);
        }
        assertThat(emitter.sends()).isEqualTo(5000 + 3);
        assertThat(applied).isNotDone();
        emitter.acknowledgeAll();
        applied.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(dlq.flush()).succeedsWithin(Duration.ofSeconds(5));

        assertThat(emitter.acknowledgedOffsets()).hasSize(5000);
        assertThat(published(state)).containsEntry("a", 100L);
        state.commitCheckpoints();
        assertThat(commits.committed).containsExactly(Map.entry(P0, 5100L));
    }


}
