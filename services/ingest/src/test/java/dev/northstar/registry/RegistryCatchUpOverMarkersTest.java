package dev.northstar.registry;

import dev.northstar.platform.config.KafkaClients;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TransactionWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's catch-up on a real broker, over a projects topic written in transactions (an
 * operator's tool, a re-drive): caught up, and not "behind the topic's end", once the last committed
 * record is applied, whether a commit or an abort marker follows it. (Before, the marker's offset was
 * waited for: not ready, and an unknown key answered 503 instead of 401, until the next registration.)
 */
class RegistryCatchUpOverMarkersTest {

    private static List<Map.Entry<String, byte[]>> records(String prefix, int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> Map.entry(prefix + i, ("{}" + i).getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void caughtUpAndNotBehindAtTheLastCommittedRecordBeforeACommitOrAbortMarker() throws Exception {
        String bootstrap = KafkaResource.bootstrapServers();
        String topic = "projects-markers-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        var partition = List.of(new TopicPartition(topic, 0));
        TransactionWriter.write(bootstrap, topic, 0, records("a", 3), true); // records 0-2, commit marker 3
        var catchUp = new RegistryCatchUp(KafkaClients.of(Map.of("bootstrap.servers", bootstrap)), topic);
        try {
            assertThat(catchUp.isCaughtUp()).isFalse();
            assertThat(catchUp.behindTopicEnd()).isTrue();
            TransactionWriter.readCommitted(bootstrap, partition).forEach(catchUp::consumed);
            assertThat(catchUp.isCaughtUp()).as("caught up at the last record before a commit marker").isTrue();
            assertThat(catchUp.behindTopicEnd()).isFalse();
            assertThat(catchUp.behindTopicEndNow().get(10, TimeUnit.SECONDS)).isFalse();

            TransactionWriter.write(bootstrap, topic, 0, records("x", 20), false); // aborted 4-23, abort marker 24
            assertThat(catchUp.behindTopicEnd()).as("an aborted transaction holds nothing to apply").isFalse();
            assertThat(catchUp.behindTopicEndNow().get(10, TimeUnit.SECONDS)).isFalse();

            TransactionWriter.write(bootstrap, topic, 0, records("b", 1), true); // record 25, commit marker 26
            assertThat(catchUp.behindTopicEnd()).as("a new committed record not applied yet").isTrue();
            assertThat(catchUp.behindTopicEndNow().get(10, TimeUnit.SECONDS)).isTrue();
            TransactionWriter.readCommitted(bootstrap, partition).forEach(catchUp::consumed);
            assertThat(catchUp.behindTopicEnd()).isFalse();
            assertThat(catchUp.behindTopicEndNow().get(10, TimeUnit.SECONDS)).isFalse();
        } finally {
            catchUp.close();
        }
    }

    /**
     * A flood of unknown keys asks the broker for the topic's end one question at a time, those arriving
     * meanwhile sharing the next (each request asked once before); every answer still comes from a question
     * that started after it was asked, so a record written before is never missed.
     */
    @Test
    void unknownKeysArrivingTogetherShareQuestionsToTheBrokerAndNeverMissANewRecord() throws Exception {
        String bootstrap = KafkaResource.bootstrapServers();
        String topic = "projects-flood-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        var partition = List.of(new TopicPartition(topic, 0));
        TransactionWriter.write(bootstrap, topic, 0, records("a", 2), true);
        var catchUp = new RegistryCatchUp(KafkaClients.of(Map.of("bootstrap.servers", bootstrap)), topic);
        try {
            TransactionWriter.readCommitted(bootstrap, partition).forEach(catchUp::consumed);
            int requests = 2000;
            var answers = new ArrayList<java.util.concurrent.CompletableFuture<Boolean>>();
            for (int i = 0; i < requests; i++) {
                answers.add(catchUp.behindTopicEndNow());
            }
            for (var answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isFalse();
            }
            assertThat(catchUp.endLookups()).as("questions to the broker for %d unknown keys", requests)
                    .isLessThanOrEqualTo(20);

            // Written before the next question: it is seen (a key just created elsewhere is 503, never 401).
            try (var writer = new dev.northstar.testkit.TopicWriter(bootstrap)) {
                writer.send(topic, "new", "{}");
            }
            assertThat(catchUp.behindTopicEndNow().get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(catchUp.behindTopicEnd()).isTrue();
        } finally {
            catchUp.close();
        }
    }
}
