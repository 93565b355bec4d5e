package dev.northstar.signals;

import dev.northstar.adoption.AdoptionSignal;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.DeadLetter;
import dev.northstar.model.topic.Topics;
import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.platform.messaging.TopicTail;
import dev.northstar.signals.store.MemoryStore;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TransactionWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signal engine's input catch-up (its readiness, "input caught up") on a real broker, over input
 * written in transactions: one partition ends with a commit marker, the other with an aborted
 * transaction longer than the first window its tail is searched in. The state is assigned as the
 * rebalance listener assigns it and fed what a read_committed consumer polls: it is caught up once it has
 * applied each partition's last committed record, and counts exactly the committed events. (Before, it
 * waited for the record at the end offset, which is the marker: not ready until the next event.)
 */
class InputCatchUpOverMarkersTest {

    private static final Instant NOW = Instant.now();

    private static Map.Entry<String, byte[]> event(String project, String user, int n) {
        String json = "{\"schemaVersion\":\"1.0\",\"eventId\":\"e-" + user + "-" + n + "\",\"type\":\"feature_used\","
                + "\"projectId\":\"" + project + "\",\"userId\":\"" + user + "\",\"feature\":\"export\",\"occurredAt\":\""
                + NOW.minusSeconds(60) + "\",\"receivedAt\":\"" + NOW.minusSeconds(30) + "\",\"clockCorrected\":false,"
                + "\"properties\":{}}";
        return Map.entry(Topics.eventKey(project, user), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void inputEndingWithCommitAndAbortMarkersIsCaughtUpAtItsLastCommittedRecord() throws Exception {
        String bootstrap = KafkaResource.bootstrapServers();
        String topic = "input-markers-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        // Partition 0: three users in one committed transaction (records 0-2, marker 3).
        TransactionWriter.write(bootstrap, topic, 0, IntStream.range(0, 3).mapToObj(i -> event("p", "u" + i, 0)).toList(), true);
        // Partition 1: two users committed (0-1, marker 2), then 40 events of other users aborted (3-42, marker 43).
        TransactionWriter.write(bootstrap, topic, 1, IntStream.range(3, 5).mapToObj(i -> event("p", "u" + i, 0)).toList(), true);
        TransactionWriter.write(bootstrap, topic, 1, IntStream.range(0, 40).mapToObj(i -> event("p", "x" + i, 0)).toList(), false);
        var partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));

        List<DeadLetter> deadLettered = new ArrayList<>();
        var meters = new SimpleMeterRegistry();
        DeadLetters dlq = new DeadLetters(dev.northstar.testkit.DeadLetterTopics.collecting(deadLettered), meters, Clock.systemUTC(), "test");
        var state = new SignalState<ProductEvent, AdoptionRecord>("test", InputReader.productEvents(),
                new AdoptionSignal().ledgers(), new MemoryStore(), new IncomingRecords(dlq), dlq, Clock.systemUTC(), meters);

        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
             var tail = new TopicTail(Map.of("bootstrap.servers", bootstrap), "test-tail")) {
            consumer.assign(partitions);
            state.assigned(partitions, StateRebalanceListener.seeker(consumer, tail.tails(partitions, Duration.ofSeconds(10))));
            assertThat(state.behind()).as("replaying before the first poll").containsEntry(partitions.get(0), 3L)
                    .containsEntry(partitions.get(1), 2L);

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!state.behind().isEmpty() && System.nanoTime() < deadline) {
                state.consume(consumer.poll(Duration.ofMillis(100))).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            assertThat(state.behind()).as("caught up at each partition's last committed record").isEmpty();
        }
        state.markAllChanged();
        Map<String, Long> users = new HashMap<>();
        state.drainChanged().forEach(k -> {
            if (k.value() instanceof AdoptionRecord.FeatureAdoption feature) {
                users.merge(feature.feature(), feature.users().all(), Long::sum);
            }
        });
        assertThat(users).as("the committed events' users, none of the aborted ones").isEqualTo(Map.of("export", 5L));
        assertThat(deadLettered).isEmpty();
    }
}
