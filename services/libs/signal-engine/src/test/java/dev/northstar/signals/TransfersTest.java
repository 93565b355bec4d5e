package dev.northstar.signals;

import dev.northstar.model.event.EventType;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.snapshot.DeadLetter;
import dev.northstar.model.topic.Keyed;
import dev.northstar.model.topic.Topics;
import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.signals.store.MemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine writes a linked anonymous actor's transfers (ADR 0017) when it counts the records that
 * cause them, and not again when it replays records a previous owner had counted and committed.
 */
class TransfersTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
    private static final TopicPartition P0 = new TopicPartition("northstar.events.v2", 0);

    /** People per feature; every type is carried to a linked user's partition. */
    static final class People extends ProjectLedger<People.ProjectState, Long> {
        static final class ProjectState extends ProjectLedger.Project {
            final Map<String, Set<String>> features = new HashMap<>();
        }

        People() {
            super(ProjectState::new);
        }

        @Override
        protected void count(ProductEvent event, ProjectState project, Part part) {
            if (part != Part.EVENT && event.feature() != null) {
                project.features.computeIfAbsent(event.feature(), f -> new HashSet<>()).add(event.actor());
            }
        }

        @Override
        protected boolean transfers(EventType type) {
            return true;
        }

        @Override
        protected List<ProductEvent> moveOut(ProjectState project, String projectId, String anonymous, String user) {
            List<ProductEvent> out = new ArrayList<>();
            project.features.forEach((feature, people) -> {
                if (people.remove(anonymous)) {
                    out.add(ProductEvent.builder().eventId("xfer:" + anonymous + ":" + feature)
                            .type(EventType.FEATURE_USED).projectId(projectId).userId(user).anonymousId(anonymous)
                            .feature(feature).occurredAt(CLOCK.instant()).transferred(true).build());
                }
            });
            return out;
        }

        @Override
        protected void keep(ProjectState project, String projectId, String rest) {
        }

        @Override
        protected void touch(ProductEvent event, ProjectState project) {
        }

        @Override
        public List<Keyed<Long>> drainChanged(Instant now) {
            return List.of();
        }

        @Override
        public void markAllChanged() {
        }
    }

    private static final class Collected implements SignalState.TransferSink {
        final List<ProductEvent> sent = new ArrayList<>();

        @Override
        public void send(List<ProductEvent> transfers) {
            sent.addAll(transfers);
        }

        @Override
        public CompletableFuture<Void> flush() {
            return CompletableFuture.completedFuture(null);
        }
    }

    private static ConsumerRecord<String, byte[]> record(long offset, ProductEvent event) {
        byte[] value = NorthstarJson.mapper().valueToTree(event).toString().getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(P0.topic(), P0.partition(), offset, CLOCK.millis(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, value.length,
                Topics.eventKey(event.projectId(), event.keyActor()), value,
                new org.apache.kafka.common.header.internals.RecordHeaders(), Optional.empty());
    }

    private static final List<ConsumerRecord<String, byte[]>> LOG = List.of(
            record(0, ProductEvent.builder().eventId("e1").type(EventType.FEATURE_USED).projectId("acme")
                    .anonymousId("anon-1").feature("export").occurredAt(CLOCK.instant()).build()),
            record(1, ProductEvent.builder().eventId("i1").type(EventType.USER_IDENTIFIED).projectId("acme")
                    .anonymousId("anon-1").userId("u-1").occurredAt(CLOCK.instant()).build()),
            record(2, ProductEvent.builder().eventId("e2").type(EventType.FEATURE_USED).projectId("acme")
                    .anonymousId("anon-1").feature("import").occurredAt(CLOCK.instant()).build()));

    private static SignalState<ProductEvent, Long> state(Collected sink) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DeadLetters dlq = new DeadLetters(dev.northstar.testkit.DeadLetterTopics.collecting(new ArrayList<DeadLetter>()), meters,
                CLOCK, "test");
        var state = new SignalState<>("test", InputReader.productEvents(),
                LedgerJson.codec(People.class, People::new), new MemoryStore(), new IncomingRecords(dlq), dlq, CLOCK,
                meters, false, ErasureView.NONE);
        state.transfers(sink);
        return state;
    }

    @Test
    void aLinkSendsTheAnonymousStateAndLaterAnonymousEventsOnceAndAReplayOfCommittedRecordsNothing() {
        Collected first = new Collected();
        var owner = state(first);
        owner.assigned(List.of(P0), new SignalStateTest.Positions());
        owner.consume(SignalStateTest.batch(LOG.toArray(ConsumerRecord[]::new))).toCompletableFuture().join();

        assertThat(first.sent).extracting(ProductEvent::eventId)
                .containsExactly("xfer:anon-1:export", "xfer:i1", "xfer:e2");
        assertThat(first.sent).allSatisfy(t -> {
            assertThat(t.userId()).isEqualTo("u-1");
            assertThat(t.isTransfer()).isTrue();
            assertThat(t.keyActor()).isEqualTo("u-1");
        });

        // The next owner rebuilds from the log; the group had committed everything: nothing is sent again.
        Collected second = new Collected();
        var replay = state(second);
        replay.assigned(List.of(P0), new SignalStateTest.Positions().committedAt(P0, 3));
        replay.consume(SignalStateTest.batch(LOG.toArray(ConsumerRecord[]::new))).toCompletableFuture().join();
        assertThat(second.sent).isEmpty();

        // Committed up to the link only: the link's transfers are sent again (idempotent), the rest too.
        Collected third = new Collected();
        var partly = state(third);
        partly.assigned(List.of(P0), new SignalStateTest.Positions().committedAt(P0, 1));
        partly.consume(SignalStateTest.batch(LOG.toArray(ConsumerRecord[]::new))).toCompletableFuture().join();
        assertThat(third.sent).extracting(ProductEvent::eventId)
                .containsExactly("xfer:anon-1:export", "xfer:i1", "xfer:e2");
    }
}
