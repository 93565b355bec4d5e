package dev.northstar.platform.messaging;

import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TopicWriter;
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
}
