package dev.northstar.insights.application;

import dev.northstar.platform.config.KafkaClients;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TopicWriter;
import dev.northstar.testkit.TransactionWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Insights' catch-up ("signals loaded", which gates its readiness and its recommendations) on a real
 * broker: the recommendation history is written by the notifier in transactions, so each of its
 * partitions ends with a commit marker, or an abort marker after a failed transaction. Insights is
 * caught up once it has applied the last committed record of every partition of every topic it loads.
 * (Before, it waited for the marker's offset: the second start of the local stack was never ready.)
 */
class SignalsCatchUpOverMarkersTest {

    private static List<Map.Entry<String, byte[]>> records(String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> Map.entry(prefix + i, ("{}" + i).getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void caughtUpAtTheLastCommittedRecordOfEveryPartitionWhateverMarkerFollowsIt() throws Exception {
        String bootstrap = KafkaResource.bootstrapServers();
        String snapshots = "snapshots-" + UUID.randomUUID();
        String history = "history-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(snapshots, 2, (short) 1), new NewTopic(history, 3, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (var writer = new TopicWriter(bootstrap)) {
            writer.send(snapshots, "p/a", "{}");  // a snapshot topic, written without transactions
        }
        TransactionWriter.write(bootstrap, history, 0, records("h", 2), true);   // ends with a commit marker
        TransactionWriter.write(bootstrap, history, 1, records("h", 1), true);
        TransactionWriter.write(bootstrap, history, 1, records("x", 30), false); // ends with an abort marker
        TransactionWriter.write(bootstrap, history, 2, records("x", 3), false);  // aborted records only
        var catchUp = new SignalsCatchUp(KafkaClients.of(Map.of("bootstrap.servers", bootstrap)),
                List.of(snapshots, history));

        assertThat(catchUp.isCaughtUp()).isFalse();
        var snapshotPartitions = List.of(new TopicPartition(snapshots, 0), new TopicPartition(snapshots, 1));
        TransactionWriter.readCommitted(bootstrap, snapshotPartitions).forEach(catchUp::consumed);
        assertThat(catchUp.isCaughtUp()).as("the history is not read yet").isFalse();
        var historyPartitions = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(history, p)).toList();
        TransactionWriter.readCommitted(bootstrap, historyPartitions).forEach(catchUp::consumed);
        await().atMost(Duration.ofSeconds(10)).until(catchUp::isCaughtUp);
    }
}
