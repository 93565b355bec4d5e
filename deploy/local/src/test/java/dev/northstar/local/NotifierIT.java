package dev.northstar.local;

import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.notify.FeatureHistory;
import dev.northstar.model.snapshot.FeatureInsight.Action;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier as a process, killed -9 while alerts are on their way: every change of a
 * recommendation reaches the receiver (at least once), under one delivery id per change and
 * webhook, and the history records each change once.
 */
class NotifierIT {

    private static LocalStack stack;
    private static NorthstarClient client;
    private static final String PROJECT = "alerts-" + Long.toString(System.nanoTime(), 36);

    @BeforeAll
    static void start() {
        stack = TestStacks.start(List.of("ingest", "notifier"), Map.of(
                "NORTHSTAR_NOTIFIER_ALLOWED_NETWORKS", "127.0.0.1/32",
                "NORTHSTAR_NOTIFIER_SETTLE", "0s",
                "NORTHSTAR_NOTIFIER_RETRY_INITIAL", "300ms",
                "NORTHSTAR_NOTIFIER_RETRY_MAX_INTERVAL", "2s",
                "NORTHSTAR_NOTIFIER_TIMEOUT", "60s"));
        client = new NorthstarClient(stack.service("ingest").uri("/"), stack.service("ingest").uri("/"));
        var created = client.createProject(TestStacks.ADMIN_TOKEN, PROJECT, "Alerts");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String webhook(String url, String events) {
        URI notifier = stack.service("notifier").uri("/");
        var answer = await().atMost(Duration.ofSeconds(60)).until(() -> client.admin(notifier, "POST",
                "/v1/admin/projects/" + PROJECT + "/webhooks", TestStacks.ADMIN_TOKEN,
                "{\"url\":\"" + url + "\",\"events\":" + events + "}"), a -> a.status() != 503);
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.body().get("id").asText();
    }

    private static void publish(KafkaProducer<String, String> producer, String feature, Action action, Instant at) {
        producer.send(new ProducerRecord<>(Topics.FEATURE_INSIGHTS.name(), Topics.featureKey(PROJECT, feature),
                NorthstarClient.json(new FeatureInsight(PROJECT, feature, 0.4, 0.01, null, 0,
                        new FeatureInsight.Recommendation(action, List.of("because " + action.wireName())), at, false))));
    }

    @Test
    void everyChangeArrivesUnderOneIdThroughKillsOfTheNotifier() throws Exception {
        int features = 30;
        Instant t0 = Instant.now();
        try (var receiver = new AlertReceiver(1);
             var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers(),
                     "acks", "all"), new StringSerializer(), new StringSerializer())) {
            String hook = webhook(receiver.url(), "[\"recommendation_changed\"]");
            ServiceProcess notifier = stack.service("notifier");
            for (int i = 0; i < features; i++) {
                publish(producer, "f" + i, Action.WATCH, t0);
            }
            producer.flush();
            // The first round of changes: the receiver holds the first delivery; the notifier dies with it in flight.
            for (int i = 0; i < features / 2; i++) {
                publish(producer, "f" + i, Action.EXPAND, t0.plusSeconds(60));
            }
            producer.flush();
            assertThat(receiver.held.await(60, TimeUnit.SECONDS)).as("a delivery reached the receiver").isTrue();
            notifier.kill();
            receiver.release.countDown();
            // The second round while it is down, then it comes back, and dies again soon after.
            for (int i = features / 2; i < features; i++) {
                publish(producer, "f" + i, Action.EXPAND, t0.plusSeconds(60));
            }
            producer.flush();
            notifier.start();
            notifier.awaitReady(Duration.ofSeconds(90));
            Thread.sleep(300);
            notifier.kill();
            notifier.start();
            notifier.awaitReady(Duration.ofSeconds(90));

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Set<String> alerted = new HashSet<>();
                receiver.received.forEach(r -> alerted.add(r.feature()));
                assertThat(alerted).as("every changed feature alerted").hasSize(features);
            });
            Thread.sleep(2000);   // retries of the last in-flight ones settle

            // One delivery id per feature: a re-sent alert is the same alert, never a new one.
            Map<String, Set<String>> idsByFeature = new HashMap<>();
            for (AlertReceiver.Received r : receiver.received) {
                assertThat(r.type()).isEqualTo("recommendation_changed");
                idsByFeature.computeIfAbsent(r.feature(), f -> new HashSet<>()).add(r.deliveryId());
            }
            assertThat(idsByFeature).hasSize(features);
            assertThat(idsByFeature.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
            System.out.printf("notifier through two kills: %d requests for %d alerts%n", receiver.received.size(), features);

            // The delivery log says delivered for each, and the history holds each change once.
            URI notifierUri = notifier.uri("/");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var log = client.admin(notifierUri, "GET", "/v1/admin/projects/" + PROJECT + "/webhooks/" + hook
                        + "/deliveries", TestStacks.ADMIN_TOKEN, null);
                assertThat(log.status()).isEqualTo(200);
                List<String> statuses = new ArrayList<>();
                log.body().get("deliveries").forEach(d -> statuses.add(d.get("status").asText()));
                assertThat(statuses).hasSize(features).containsOnly("delivered");
            });
            Map<String, FeatureHistory> history = committedHistory();
            for (int i = 0; i < features; i++) {
                var h = history.get(Topics.featureKey(PROJECT, "f" + i));
                assertThat(h).as("f" + i).isNotNull();
                assertThat(h.changes()).as("f" + i).extracting(FeatureHistory.Change::to)
                        .containsExactly(Action.EXPAND, Action.WATCH);
            }
        }
    }

    /** The latest committed history record per key (as insights reads them). */
    private static Map<String, FeatureHistory> committedHistory() throws IOException {
        Map<String, FeatureHistory> latest = new ConcurrentHashMap<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.FEATURE_HISTORY.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key().startsWith(PROJECT + "/")) {
                        latest.put(record.key(), NorthstarJson.mapper().readValue(
                                record.value().getBytes(StandardCharsets.UTF_8), FeatureHistory.class));
                    }
                }
            }
        }
        return latest;
    }
}
