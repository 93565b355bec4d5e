package dev.northstar.local;

import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ingest's promise under failure, with real processes and a real broker: an event answered 202 is
 * in Kafka, whatever happens to the ingest process or the broker afterwards.
 */
class IngestFailureIT {

    private static LocalStack stack;
    private static NorthstarClient client;

    @BeforeAll
    static void start() {
        stack = TestStacks.start(List.of("ingest"));
        client = new NorthstarClient(stack.service("ingest").uri("/"), stack.service("ingest").uri("/"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String writeKey(String projectId) {
        var answer = client.createProject(TestStacks.ADMIN_TOKEN, projectId, projectId);
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.body().get("writeKey").asText();
    }

    @Test
    void everyAcknowledgedEventSurvivesFiveKillsOfIngest() throws Exception {
        String writeKey = writeKey("kill-nine");
        ServiceProcess ingest = stack.service("ingest");
        try (IngestLoad load = new IngestLoad(client, writeKey, 2)) {
            for (int kill = 1; kill <= 5; kill++) {
                int before = load.acknowledgedCount();
                await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedCount() >= before + 200);
                ingest.kill();
                ingest.start();
                ingest.awaitReady(Duration.ofSeconds(60));
            }
            int before = load.acknowledgedCount();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedCount() >= before + 200);
            load.close();
            System.out.println("kill -9 x5: answers " + load.answers() + ", acknowledged " + load.acknowledgedCount());
            // A restarted instance never refuses a valid key: it is not ready until its registry is loaded.
            assertThat(load.answers("401")).isZero();
            assertThat(missingFromTopic(load.acknowledged())).isEmpty();
        }
    }

    @Test
    void aBrokerOutageIsAnswered503AndNothingAcknowledgedIsLost() throws Exception {
        String writeKey = writeKey("outage");
        try (IngestLoad load = new IngestLoad(client, writeKey, 2)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedCount() >= 200);
            stack.stopKafka();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.answers("503") > 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 503);
            int whileDown = load.acknowledgedCount();
            // Broker down for 30 s in all: never a 2xx for an event Kafka does not have.
            await().during(Duration.ofSeconds(25)).atMost(Duration.ofSeconds(30))
                    .until(() -> load.acknowledgedCount() == whileDown);
            stack.startKafka();
            await().atMost(Duration.ofSeconds(60)).until(() -> readiness() == 200);
            // Recovery without anyone touching ingest.
            await().atMost(Duration.ofSeconds(90)).until(() -> load.acknowledgedCount() >= whileDown + 200);
            load.close();
            System.out.println("outage: answers " + load.answers() + ", acknowledged " + load.acknowledgedCount());
            assertThat(load.answers("503")).isPositive();
            assertThat(missingFromTopic(load.acknowledged())).isEmpty();
        }
    }

    private static int readiness() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(stack.service("ingest").uri("/q/health/ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }

    /** The acknowledged eventIds that are not on the events topic (should be none). */
    private static Set<String> missingFromTopic(Set<String> acknowledged) throws IOException {
        Set<String> onTopic = new HashSet<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    onTopic.add(NorthstarJson.mapper().readTree(record.value()).get("eventId").asText());
                }
            }
        }
        Set<String> missing = new HashSet<>(acknowledged);
        missing.removeAll(onTopic);
        return missing;
    }
}
