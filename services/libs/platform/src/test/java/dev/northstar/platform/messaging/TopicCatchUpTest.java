package dev.northstar.platform.messaging;

import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TopicWriter;
import dev.northstar.testkit.TransactionWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Catch-up against a real broker: what counts as read, including partitions with nothing left to read. */
class TopicCatchUpTest {

    private static String bootstrap;
    private static Admin admin;

    @BeforeAll
    static void broker() {
        bootstrap = KafkaResource.bootstrapServers();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    private static String topicWithRecords(int partitions, int records) throws Exception {
        String topic = "catch-up-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        try (var writer = new TopicWriter(bootstrap)) {
            for (int i = 0; i < records; i++) {
                writer.send(topic, "k" + i, "v" + i);
            }
        }
        return topic;
    }

    private static ConsumerRecord<String, String> record(String topic, int partition, long offset) {
        return new ConsumerRecord<>(topic, partition, offset, "k", "v");
    }

    @Test
    void isCaughtUpOnlyOnceEveryRecordThatWasThereHasBeenConsumed() throws Exception {
        String topic = topicWithRecords(1, 3);
        TopicCatchUp catchUp = new TopicCatchUp(topic, bootstrap);

        await().atMost(Duration.ofSeconds(10)).until(() -> catchUp.target().isPresent());
        assertThat(catchUp.isCaughtUp()).isFalse();
        catchUp.consumed(record(topic, 0, 1));
        assertThat(catchUp.isCaughtUp()).isFalse();
        catchUp.consumed(record(topic, 0, 2));
        assertThat(catchUp.isCaughtUp()).isTrue();
    }

    @Test
    void anEmptyTopicIsCaughtUpWithoutAnyRecord() throws Exception {
        TopicCatchUp catchUp = new TopicCatchUp(topicWithRecords(3, 0), bootstrap);

        // Asked again until the new topic's metadata has reached the broker's answers (as readiness asks).
        await().atMost(Duration.ofSeconds(10)).until(catchUp::isCaughtUp);
    }

    @Test
    void aPartitionWhoseRecordsRetentionRemovedIsCaughtUpWithoutAnyRecord() throws Exception {
        String topic = topicWithRecords(1, 5);
        admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(5))).all().get();

        // log start = log end = 5: nothing will ever be consumed, and nothing is missing.
        TopicCatchUp catchUp = new TopicCatchUp(topic, bootstrap);
        await().atMost(Duration.ofSeconds(10)).until(catchUp::isCaughtUp);
    }

    private static List<Map.Entry<String, byte[]>> values(String prefix, int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> Map.entry("k" + i, (prefix + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .toList();
    }

    private static String newTopic(int partitions) throws Exception {
        String topic = "catch-up-tx-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        return topic;
    }

    /** What a read_committed listener does: report every record it read, then ask. */
    private static void consumeAll(TopicCatchUp catchUp, String topic, int partitions) {
        var all = java.util.stream.IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        TransactionWriter.readCommitted(bootstrap, all).forEach(catchUp::consumed);
    }

    /**
     * A transactional writer's partition ends with a commit marker: the end offset is one past the last
     * record, and no reader ever reports it. Caught up once the last record is (the second start of the
     * local stack waited for ever on the recommendation history before).
     */
    @Test
    void aPartitionEndingWithACommitMarkerIsCaughtUpAtItsLastRecord() throws Exception {
        String topic = newTopic(2);
        TransactionWriter.write(bootstrap, topic, 0, values("a", 3), true);   // records 0-2, marker 3
        TransactionWriter.write(bootstrap, topic, 1, values("b", 2), true);   // records 0-1, marker 2
        TransactionWriter.write(bootstrap, topic, 1, values("c", 1), true);   // record 3, marker 4
        TopicCatchUp catchUp = new TopicCatchUp(topic, bootstrap);

        await().atMost(Duration.ofSeconds(10)).until(() -> catchUp.target().isPresent());
        assertThat(catchUp.target().orElseThrow()).isEqualTo(Map.of(0, 3L, 1, 4L));
        assertThat(catchUp.isCaughtUp()).isFalse();
        consumeAll(catchUp, topic, 2);
        assertThat(catchUp.isCaughtUp()).isTrue();
    }

    /**
     * A partition ending with an aborted transaction (longer than the first window read back, so the
     * tail is searched farther back) is caught up at the last committed record; one holding only
     * aborted records at once.
     */
    @Test
    void aPartitionEndingWithAnAbortMarkerIsCaughtUpAtItsLastCommittedRecord() throws Exception {
        String topic = newTopic(2);
        TransactionWriter.write(bootstrap, topic, 0, values("a", 2), true);    // records 0-1, marker 2
        TransactionWriter.write(bootstrap, topic, 0, values("x", 40), false);  // aborted 3-42, marker 43
        TransactionWriter.write(bootstrap, topic, 1, values("y", 5), false);   // aborted 0-4, marker 5
        TopicCatchUp catchUp = new TopicCatchUp(topic, bootstrap);

        await().atMost(Duration.ofSeconds(10)).until(() -> catchUp.target().isPresent());
        assertThat(catchUp.target().orElseThrow()).isEqualTo(Map.of(0, 2L, 1, 0L));
        assertThat(catchUp.isCaughtUp()).isFalse();
        consumeAll(catchUp, topic, 2);
        assertThat(catchUp.isCaughtUp()).isTrue();
    }
}
