package dev.northstar.signals;

import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.DeadLetter;
import dev.northstar.model.topic.Keyed;
import dev.northstar.model.topic.Topics;
import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.signals.store.JsonFileStore;
import dev.northstar.signals.store.MemoryStore;
import dev.northstar.signals.store.PartitionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure in the engine: a partition holding an erased actor's project is rebuilt from its start
 * without the actor, its snapshots held back until it is as far as before, every key published again
 * (zero where only the erased had contributed); an erased actor is never counted again, whatever the
 * order in which erasures and events arrive, and a saved state that predates an erasure is rebuilt.
 */
class ErasureTest {

    private static final TopicPartition P0 = new TopicPartition("northstar.events.v1", 0);
    private static final TopicPartition P1 = new TopicPartition("northstar.events.v1", 1);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Distinct users per project and feature: a ProjectLedger, as the real services' ledgers are. */
    static final class FeatureUsers extends ProjectLedger<FeatureUsers.ProjectState, Long> {
        static final class ProjectState extends ProjectLedger.Project {
            final Map<String, Set<String>> features = new TreeMap<>();
        }

        private final transient ChangedKeys changed = new ChangedKeys();

        FeatureUsers() {
            super(ProjectState::new);
        }

        static final Ledger.Codec<ProductEvent, Long> CODEC = LedgerJson.codec(FeatureUsers.class, FeatureUsers::new);

        @Override
        protected void count(ProductEvent event, ProjectState project, Part part) {
            project.features.computeIfAbsent(event.feature(), f -> new HashSet<>()).add(event.actor());
            changed.mark(event.projectId(), event.feature());
        }

        @Override
        protected void touch(ProductEvent event, ProjectState project) {
            if (event.feature() == null) {
                return; // a link touches no feature
            }
            project.features.computeIfAbsent(event.feature(), f -> new HashSet<>());
            changed.mark(event.projectId(), event.feature());
        }

        @Override
        protected void keep(ProjectState project, String projectId, String rest) {
            project.features.computeIfAbsent(rest, f -> new HashSet<>());
            changed.mark(projectId, rest);
        }

        @Override
        public List<Keyed<Long>> drainChanged(Instant now) {
            List<Keyed<Long>> out = new ArrayList<>();
            changed.drain().forEach((projectId, features) -> features.forEach(f -> out.add(new Keyed<>(
                    Topics.featureKey(projectId, f), (long) projects.get(projectId).features.get(f).size()))));
            return out;
        }

        @Override
        public void markAllChanged() {
            projects.forEach((id, p) -> changed.markAll(id, p.features.keySet()));
        }
    }

    /** Erasures as a test sets them, loaded or not yet. */
    static final class TestErasures implements ErasureView {
        final Map<String, Set<String>> erased = new ConcurrentHashMap<>();
        final CompletableFuture<Void> loaded = new CompletableFuture<>();

        TestErasures loadedNow() {
            loaded.complete(null);
            return this;
        }

        void add(String project, String actor) {
            erased.computeIfAbsent(project, p -> ConcurrentHashMap.newKeySet()).add(actor);
        }

        @Override
        public Set<String> erasedIn(String projectId) {
            return erased.getOrDefault(projectId, Set.of());
        }

        @Override
        public Map<String, Set<String>> all() {
            return erased;
        }

        @Override
        public CompletionStage<Void> loaded() {
            return loaded;
        }
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SignalStateTest.Rewinds rewinds = new SignalStateTest.Rewinds();

    private SignalState<ProductEvent, Long> state(PartitionStore store, ErasureView erasures) {
        DeadLetters dlq = new DeadLetters(dev.northstar.testkit.DeadLetterTopics.collecting(new ArrayList<DeadLetter>()), meters,
                CLOCK, "test");
        var state = new SignalState<>("test", InputReader.productEvents(), FeatureUsers.CODEC, store,
                new IncomingRecords(dlq), dlq, CLOCK, meters, false, erasures);
        state.positions(rewinds);
        return state;
    }

    private static ConsumerRecord<String, byte[]> event(TopicPartition partition, long offset, String project,
                                                        String user, String feature) {
        String json = "{\"schemaVersion\":\"1.0\",\"eventId\":\"e" + partition.partition() + "-" + offset
                + "\",\"type\":\"feature_used\",\"projectId\":\"" + project + "\",\"userId\":\"" + user
                + "\",\"feature\":\"" + feature + "\",\"occurredAt\":\"2026-11-24T10:00:00Z\","
                + "\"receivedAt\":\"2026-11-24T11:00:00Z\",\"clockCorrected\":false,\"properties\":{}}";
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, CLOCK.millis(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, value.length,
                dev.northstar.model.topic.Topics.eventKey(project, user), value,
                new org.apache.kafka.common.header.internals.RecordHeaders(), Optional.empty());
    }

    /** The log of partition 0: u1 uses export and import (import only u1), u2 export; project b on partition 1. */
    private static final List<ConsumerRecord<String, byte[]>> LOG = List.of(
            event(P0, 0, "a", "u1", "export"), event(P0, 1, "a", "u2", "export"), event(P0, 2, "a", "u1", "import"));

    @SafeVarargs
    private static ConsumerRecords<String, byte[]> batch(ConsumerRecord<String, byte[]>... records) {
        return SignalStateTest.batch(records);
    }

    private static ConsumerRecords<String, byte[]> log() {
        return batch(LOG.toArray(ConsumerRecord[]::new));
    }

    private static Map<String, Long> drained(SignalState<ProductEvent, Long> state) {
        Map<String, Long> out = new HashMap<>();
        state.drainChanged().forEach(k -> out.put(k.key(), k.value()));
        return out;
    }

    @Test
    void an_erasure_rebuilds_the_partition_without_the_actor_and_holds_its_snapshots_back_until_caught_up() {
        TestErasures erasures = new TestErasures().loadedNow();
        var state = state(new MemoryStore(), erasures);
        state.assigned(List.of(P0, P1), new SignalStateTest.Positions());
        state.consume(log());
        state.consume(batch(event(P1, 0, "b", "u1", "export")));
        assertThat(drained(state)).containsEntry("a/export", 2L).containsEntry("a/import", 1L).containsEntry("b/export", 1L);

        erasures.add("a", "u1");
        state.erase("a", "u1");

        // Only the partition holding project a is read again, from its start.
        assertThat(rewinds.asked).containsExactly(P0 + "@0");
        assertThat(meters.counter("northstar_erasure_rebuilds", "service", "test").count()).isEqualTo(1);
        state.markAllChanged();
        assertThat(drained(state)).as("held back while rebuilding").doesNotContainKeys("a/export", "a/import")
                .containsEntry("b/export", 1L);
        state.consume(batch(LOG.get(0), LOG.get(1)));
        assertThat(drained(state)).as("still behind where it was").isEmpty();
        state.consume(batch(LOG.get(2)));

        // Caught up: every key again, import at zero (only u1 had used it).
        assertThat(drained(state)).containsEntry("a/export", 1L).containsEntry("a/import", 0L).hasSize(2);
        assertThat(meters.counter("northstar_events_erased", "service", "test").count()).isEqualTo(2);

        // Later events of the erased actor are never counted; a second erase of the same actor changes nothing.
        state.consume(batch(event(P0, 3, "a", "u1", "export"), event(P0, 4, "a", "u3", "export")));
        state.erase("a", "u1");
        assertThat(rewinds.asked).hasSize(1);
        assertThat(drained(state)).containsEntry("a/export", 2L);
    }

    @Test
    void nothing_is_counted_before_the_erasures_are_loaded_and_an_erased_actor_is_never_counted_even_once() {
        TestErasures erasures = new TestErasures();
        var state = state(new MemoryStore(), erasures);
        state.assigned(List.of(P0), new SignalStateTest.Positions());

        CompletionStage<Void> applied = state.consume(log());
        assertThat(applied.toCompletableFuture()).isNotDone();
        assertThat(drained(state)).isEmpty();

        erasures.add("a", "u1");
        erasures.loaded.complete(null);

        assertThat(applied.toCompletableFuture()).isDone();
        // import: only the erased u1 used it; the key is there, at zero (an older snapshot never stays).
        assertThat(drained(state)).containsEntry("a/export", 1L).containsEntry("a/import", 0L);
        // The state says it reflects the erasure: learning it again rebuilds nothing.
        state.erase("a", "u1");
        assertThat(rewinds.asked).isEmpty();
    }

    @Test
    void a_saved_state_that_predates_an_erasure_is_rebuilt_when_it_is_restored() {
        PartitionStore store = new JsonFileStore(dir, reason -> { });
        TestErasures none = new TestErasures().loadedNow();
        var before = state(store, none);
        before.assigned(List.of(P0), new SignalStateTest.Positions());
        before.consume(log());
        before.saveChanged();

        // The service was down when the erasure came; it restarts with the erasure known.
        TestErasures erasures = new TestErasures().loadedNow();
        erasures.add("a", "u1");
        var after = state(store, erasures);
        var positions = new SignalStateTest.Positions().endingAt(P0, 3);
        after.assigned(List.of(P0), positions);

        assertThat(positions.at).containsEntry(P0, 0L);
        assertThat(drained(after)).isEmpty();
        after.consume(log());
        assertThat(drained(after)).containsEntry("a/export", 1L).containsEntry("a/import", 0L);

        // Saved after the rebuild, restored again: it reflects the erasure, nothing to rebuild.
        after.saveChanged();
        var again = state(store, erasures);
        var positionsAgain = new SignalStateTest.Positions().endingAt(P0, 3);
        again.assigned(List.of(P0), positionsAgain);
        assertThat(positionsAgain.at).containsEntry(P0, 3L);
        again.markAllChanged();
        assertThat(drained(again)).containsEntry("a/export", 1L).containsEntry("a/import", 0L);
    }

    @Test
    void an_erasure_learnt_while_a_partition_replays_from_scratch_rebuilds_it_again() {
        TestErasures erasures = new TestErasures().loadedNow();
        erasures.add("a", "u2");
        var state = state(new MemoryStore(), erasures);
        state.assigned(List.of(P0), new SignalStateTest.Positions());
        state.consume(batch(LOG.get(0), LOG.get(1)));

        erasures.add("a", "u1");
        state.erase("a", "u1");
        assertThat(rewinds.asked).containsExactly(P0 + "@0");
        state.consume(log());

        assertThat(drained(state)).containsEntry("a/export", 0L).containsEntry("a/import", 0L);
    }

    /**
     * A crash after a snapshot was published but before the state was saved: the restored state does
     * not know the key, yet the rebuild republishes it at zero, because the erased actor's event that
     * made it still names it.
     */
    @Test
    void a_key_published_after_the_last_save_is_republished_at_zero_after_a_crash_and_an_erasure() {
        PartitionStore store = new JsonFileStore(dir, reason -> { });
        var before = state(store, new TestErasures().loadedNow());
        before.assigned(List.of(P0), new SignalStateTest.Positions());
        before.consume(batch(LOG.get(0), LOG.get(1)));
        before.saveChanged();
        before.consume(batch(LOG.get(2))); // a/import published at 1, never saved: the crash loses it
        assertThat(drained(before)).containsEntry("a/import", 1L);

        TestErasures erasures = new TestErasures().loadedNow();
        erasures.add("a", "u1");
        var after = state(store, erasures);
        after.assigned(List.of(P0), new SignalStateTest.Positions().endingAt(P0, 3));
        after.consume(log());

        assertThat(drained(after)).containsEntry("a/export", 1L).containsEntry("a/import", 0L);
    }

    /** An event of an anonymous id (no userId), or its link to a user: both keyed by the anonymous id. */
    private static ConsumerRecord<String, byte[]> anonymous(TopicPartition partition, long offset, String project,
                                                            String anonymousId, String type, String userId, String feature) {
        String json = "{\"schemaVersion\":\"1.1\",\"eventId\":\"e" + partition.partition() + "-" + offset
                + "\",\"type\":\"" + type + "\",\"projectId\":\"" + project + "\",\"anonymousId\":\"" + anonymousId + "\""
                + (userId == null ? "" : ",\"userId\":\"" + userId + "\"")
                + (feature == null ? "" : ",\"feature\":\"" + feature + "\"")
                + ",\"occurredAt\":\"2026-11-24T10:00:00Z\",\"receivedAt\":\"2026-11-24T11:00:00Z\","
                + "\"clockCorrected\":false,\"properties\":{}}";
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, CLOCK.millis(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, value.length,
                dev.northstar.model.topic.Topics.eventKey(project, anonymousId), value,
                new org.apache.kafka.common.header.internals.RecordHeaders(), Optional.empty());
    }

    private static ConsumerRecord<String, byte[]> used(TopicPartition partition, long offset, String anonymousId,
                                                       String feature) {
        return anonymous(partition, offset, "a", anonymousId, "feature_used", null, feature);
    }

    private static ConsumerRecord<String, byte[]> identified(TopicPartition partition, long offset, String anonymousId,
                                                             String userId) {
        return anonymous(partition, offset, "a", anonymousId, "user_identified", userId, null);
    }

    /**
     * Erasing a user erases the person: the anonymous ids linked to them, on whatever partition, with
     * what they did before signing in and after. (Before, only the user's own id was dropped: the
     * anonymous history before the link stayed counted, and with pseudonymized ids no operator could
     * find those ids to erase them.)
     */
    @Test
    void erasing_a_user_erases_every_anonymous_id_linked_to_them_before_the_link_and_after() {
        TestErasures erasures = new TestErasures().loadedNow();
        var state = state(new MemoryStore(), erasures);
        state.assigned(List.of(P0, P1), new SignalStateTest.Positions());
        var p0 = List.of(used(P0, 0, "anon-1", "comments"), used(P0, 1, "anon-2", "comments"),
                identified(P0, 2, "anon-1", "u1"), used(P0, 3, "anon-1", "export"));
        var p1 = List.of(used(P1, 0, "anon-3", "search"), identified(P1, 1, "anon-3", "u1"),
                event(P1, 2, "a", "u1", "import"), used(P1, 3, "anon-4", "search"));
        state.consume(batch(p0.toArray(ConsumerRecord[]::new)));
        state.consume(batch(p1.toArray(ConsumerRecord[]::new)));
        // (each partition publishes its own slice of a key: features kept apart per partition here)
        assertThat(drained(state)).containsEntry("a/comments", 2L).containsEntry("a/search", 2L)
                .containsEntry("a/export", 1L).containsEntry("a/import", 1L);

        erasures.add("a", "u1");
        state.erase("a", "u1");
        assertThat(rewinds.asked).containsExactlyInAnyOrder(P0 + "@0", P1 + "@0");
        state.consume(batch(p0.toArray(ConsumerRecord[]::new)));
        state.consume(batch(p1.toArray(ConsumerRecord[]::new)));

        // anon-1 and anon-3 were u1: gone with u1, before and after signing in; anon-2 and anon-4 stay.
        assertThat(drained(state)).containsEntry("a/comments", 1L).containsEntry("a/search", 1L)
                .containsEntry("a/export", 0L).containsEntry("a/import", 0L);
        assertThat(meters.counter("northstar_events_erased", "service", "test").count()).isEqualTo(6);
    }

    /**
     * A person erased first, who signs in again on a new device: the new anonymous id's events before the
     * link were counted (nobody knew whose they were); the link rebuilds its partition without them.
     */
    @Test
    void a_link_to_an_erased_user_seen_later_takes_back_what_the_anonymous_id_did_before_it() {
        TestErasures erasures = new TestErasures().loadedNow();
        erasures.add("a", "u1");
        var state = state(new MemoryStore(), erasures);
        state.assigned(List.of(P0), new SignalStateTest.Positions());
        state.consume(batch(used(P0, 0, "anon-9", "comments"), used(P0, 1, "anon-2", "comments")));
        assertThat(drained(state)).containsEntry("a/comments", 2L);

        state.consume(batch(identified(P0, 2, "anon-9", "u1"), used(P0, 3, "anon-9", "comments")));
        assertThat(rewinds.asked).as("the link rebuilds the partition").containsExactly(P0 + "@0");
        state.consume(batch(used(P0, 0, "anon-9", "comments"), used(P0, 1, "anon-2", "comments"),
                identified(P0, 2, "anon-9", "u1"), used(P0, 3, "anon-9", "comments")));
        assertThat(rewinds.asked).as("read again, the link rebuilds nothing more").hasSize(1);
        assertThat(drained(state)).containsEntry("a/comments", 1L);

        // A link seen on a partition that never held the project: nothing to take back, no rebuild.
        var fresh = state(new MemoryStore(), erasures);
        fresh.assigned(List.of(P1), new SignalStateTest.Positions());
        fresh.consume(batch(anonymous(P1, 0, "a", "anon-7", "user_identified", "u1", null),
                anonymous(P1, 1, "a", "anon-7", "feature_used", null, "search"),
                anonymous(P1, 2, "a", "anon-8", "feature_used", null, "search")));
        assertThat(rewinds.asked).hasSize(1);
        assertThat(drained(fresh)).containsEntry("a/search", 1L);
    }
}
