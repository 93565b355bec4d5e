package dev.northstar.notifier.adapter.in.messaging;

import dev.northstar.model.topic.Topics;
import dev.northstar.notifier.adapter.out.http.WebhookSender;
import dev.northstar.notifier.application.WebhookDirectory;
import dev.northstar.notifier.config.NotifierConfig;
import dev.northstar.notifier.domain.WebhookAddress;
import dev.northstar.platform.config.KafkaClients;
import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.testkit.DeadLetterTopics;
import dev.northstar.testkit.KafkaResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier's alert loop on a real broker, with a dead-letter topic that holds every letter: the
 * loop never commits the offset of a record it dead-lettered before the letter is on its topic (killed
 * meanwhile, the record would be neither counted nor in the dead letters). Once the topic takes the
 * letter, the offset moves on. (Before, the offset was committed in the same poll as the letter was
 * handed over, acknowledged or not.)
 */
class AlertLoopDeadLettersTest {

    private static NotifierConfig config() {
        NotifierConfig.Retry retry = (NotifierConfig.Retry) Proxy.newProxyInstance(NotifierConfig.class.getClassLoader(),
                new Class<?>[] {NotifierConfig.Retry.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "initial" -> Duration.ofSeconds(1);
                    case "maxInterval" -> Duration.ofSeconds(10);
                    case "giveUpAfter" -> Duration.ofMinutes(1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (NotifierConfig) Proxy.newProxyInstance(NotifierConfig.class.getClassLoader(),
                new Class<?>[] {NotifierConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "settle" -> Duration.ZERO;
                    case "retry" -> retry;
                    case "timeout" -> Duration.ofSeconds(2);
                    case "concurrentDeliveries" -> 2;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aDeadLetteredRecordsOffsetIsCommittedOnlyOnceItsLetterIsOnTheTopic() throws Exception {
        String bootstrap = KafkaResource.bootstrapServers();
        String group = "notifier-dead-letters-" + UUID.randomUUID();
        String topic = Topics.FEATURE_INSIGHTS.name();
        var clients = KafkaClients.of(Map.of("bootstrap.servers", bootstrap));
        var partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            // The group starts where the topic ends: other tests' insights are not this test's business.
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            var ends = admin.listOffsets(IntStream.range(0, partitions).boxed().collect(Collectors.toMap(
                    p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS);
            admin.alterConsumerGroupOffsets(group, ends.entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue().offset())))).all().get(30, TimeUnit.SECONDS);

            var held = DeadLetterTopics.holding(0);
            var deadLetters = new DeadLetters(held, new SimpleMeterRegistry(), Clock.systemUTC(), "notifier");
            var directory = new WebhookDirectory(clients) {
                @Override
                public boolean isCaughtUp() {
                    return true; // no webhooks: nothing is delivered
                }
            };
            Vertx vertx = Vertx.vertx();
            var sender = new WebhookSender(config(), new WebhookAddress(List.of(), h -> new java.net.InetAddress[0]),
                    Clock.systemUTC(), vertx, dev.northstar.notifier.domain.SecretBox.of(
                            java.util.Base64.getEncoder().encodeToString(new byte[32])));
            var loop = new AlertLoop(clients, directory, sender, deadLetters, Clock.systemUTC(), config(), group);
            loop.start(null);
            try {
                await().atMost(Duration.ofSeconds(30)).until(loop::isRunning);
                long offset;
                try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of(
                        "bootstrap.servers", bootstrap), new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
                    offset = producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, "shop/export",
                            "not a recommendation")).get(30, TimeUnit.SECONDS).offset();
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> held.held() >= 1);
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(committed(admin, group, partition)).as("committed while the letter is held")
                                .isLessThanOrEqualTo(offset));

                await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                    held.acknowledgeAll();
                    assertThat(committed(admin, group, partition)).as("committed once the letter is on the topic")
                            .isGreaterThan(offset);
                });
                assertThat(held.acknowledgedOffsets()).contains(offset);
            } finally {
                loop.stop(null);
                sender.close();
                vertx.close();
            }
        }
    }

    private static long committed(Admin admin, String group, TopicPartition partition) throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(partition);
        return committed == null ? -1 : committed.offset();
    }
}
