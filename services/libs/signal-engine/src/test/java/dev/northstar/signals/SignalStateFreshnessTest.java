package dev.northstar.signals;

import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.DeadLetter;
import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.signals.store.MemoryStore;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code northstar_snapshot_freshness}: from the write of the oldest input a publish reflects to the
 * broker's acknowledgement of the publish, measured only for input counted while caught up (a replay
 * at start is not staleness), once per publish that carries new input.
 */
class SignalStateFreshnessTest {

    private static final TopicPartition P0 = new TopicPartition("northstar.events.v2", 0);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Published published = new Published();

    private SignalState<ProductEvent, Long> state() {
        DeadLetters dlq = new DeadLetters(dev.northstar.testkit.DeadLetterTopics.collecting(new ArrayList<DeadLetter>()), meters,
                CLOCK, "test");
        return new SignalState<>("test", InputReader.productEvents(), SignalStateTest.UsersLedger.CODEC,
                new MemoryStore(), new IncomingRecords(dlq), dlq, CLOCK, meters);
    }

    /** An event written {@code agoMillis} before the (fixed) clock's now. */
    private static ConsumerRecord<String, byte[]> written(long offset, long agoMillis) {
        String id = "e" + offset;
        byte[] value = ("{\"schemaVersion\":\"1.0\",\"eventId\":\"" + id + "\",\"type\":\"feature_used\",\"projectId\":\"p\","
                + "\"userId\":\"u" + offset + "\",\"feature\":\"export\",\"occurredAt\":\"2026-11-28T10:00:00Z\","
                + "\"receivedAt\":\"2026-11-28T11:00:00Z\",\"clockCorrected\":false,\"properties\":{}}")
                .getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(P0.topic(), P0.partition(), offset, CLOCK.millis() - agoMillis,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, value.length,
                dev.northstar.model.topic.Topics.eventKey("p", "u" + offset), value, new RecordHeaders(), Optional.empty());
    }

    @SafeVarargs
    private static ConsumerRecords<String, byte[]> batch(ConsumerRecord<String, byte[]>... records) {
        return new ConsumerRecords<>(Map.of(P0, List.of(records)), Map.of());
    }

    private Timer freshness() {
        return meters.get("northstar_snapshot_freshness").tag("service", "test").timer();
    }

    @Test
    void measuredFromTheOldestInputWrittenSinceTheLastPublishAndNeverForAReplay() {
        SignalState<ProductEvent, Long> state = state();
        state.assigned(List.of(P0), new SignalStateTest.Positions().endingAt(P0, 2));

        state.consume(batch(written(0, 3_600_000), written(1, 3_000_000))); // the replay up to the end at start
        state.publishChanged(published, "topic");
        assertThat(published.sent).hasSize(1);
        assertThat(freshness().count()).isZero();

        state.consume(batch(written(2, 1_500), written(3, 700)));
        state.consume(batch(written(4, 300)));
        state.publishChanged(published, "topic");
        assertThat(published.sent).hasSize(2);
        assertThat(freshness().count()).isEqualTo(1);
        assertThat(freshness().max(TimeUnit.MILLISECONDS)).isEqualTo(1_500);

        state.publishChanged(published, "topic"); // nothing new: nothing published, nothing measured
        assertThat(published.sent).hasSize(2);
        assertThat(freshness().count()).isEqualTo(1);

        state.consume(batch(written(5, 200)));
        state.publishChanged(published, "topic");
        assertThat(freshness().count()).isEqualTo(2);
        assertThat(freshness().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1_700);
    }

    /** An emitter the broker acknowledges at once. */
    static final class Published implements MutinyEmitter<Object> {
        final List<Object> sent = new ArrayList<>();

        @Override
        public <M extends Message<?>> Uni<Void> sendMessage(M msg) {
            sent.add(msg.getPayload());
            return Uni.createFrom().voidItem();
        }

        @Override
        public boolean hasRequests() {
            return true;
        }

        @Override
        public Uni<Void> send(Object payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendAndAwait(Object payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cancellable sendAndForget(Object payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<?>> void send(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<?>> void sendMessageAndAwait(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<?>> Cancellable sendMessageAndForget(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}
