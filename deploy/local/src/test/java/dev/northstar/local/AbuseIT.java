package dev.northstar.local;

import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.snapshot.FeatureInsight.Action;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The product under hostile use, as processes. Webhook receivers that answer their headers and drip the
 * body occupy every delivery slot of the notifier; an honest receiver added after still gets its
 * alert, because each attempt has one deadline for the whole answer and the dripping ones are cut off
 * at it. (Before, the timeout covered only the headers: the dripping receivers held the slots for
 * hours and no other alert went out.) An unreachable broker at start: {@link UnreachableBrokerIT}.
 */
class AbuseIT {

    private static final String PROJECT = "abuse-" + Long.toString(System.nanoTime(), 36);
    private static final int SLOTS = 4;
    private static LocalStack stack;
    private static NorthstarClient client;

    @BeforeAll
    static void start() {
        stack = TestStacks.start(List.of("ingest", "notifier"), Map.of(
                "NORTHSTAR_NOTIFIER_ALLOWED_NETWORKS", "127.0.0.1/32",
                "NORTHSTAR_NOTIFIER_SETTLE", "0s",
                "NORTHSTAR_NOTIFIER_CONCURRENT_DELIVERIES", String.valueOf(SLOTS),
                "NORTHSTAR_NOTIFIER_RETRY_INITIAL", "20s",
                "NORTHSTAR_NOTIFIER_TIMEOUT", "2s"));
        client = new NorthstarClient(stack.service("ingest").uri("/"), stack.service("ingest").uri("/"));
        var created = client.createProject(TestStacks.ADMIN_TOKEN, PROJECT, "Abuse");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String webhook(String url) {
        URI notifier = stack.service("notifier").uri("/");
        var answer = await().atMost(Duration.ofSeconds(60)).until(() -> client.admin(notifier, "POST",
                "/v1/admin/projects/" + PROJECT + "/webhooks", TestStacks.ADMIN_TOKEN,
                "{\"url\":\"" + url + "\",\"events\":[\"recommendation_changed\"]}"), a -> a.status() != 503);
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.body().get("id").asText();
    }

    private static void publish(KafkaProducer<String, String> producer, String feature, Action action, Instant at) {
        producer.send(new ProducerRecord<>(Topics.FEATURE_INSIGHTS.name(), Topics.featureKey(PROJECT, feature),
                NorthstarClient.json(new FeatureInsight(PROJECT, feature, 0.4, 0.01, null, 0,
                        new FeatureInsight.Recommendation(action, List.of("because " + action.wireName())), at, false))));
        producer.flush();
    }

    @Test
    void receiversThatDripTheirAnswerOnEverySlotDoNotStopAnHonestOneGettingItsAlert() throws Exception {
        List<DrippingReceiver> dripping = new ArrayList<>();
        List<String> drippingHooks = new ArrayList<>();
        Instant t0 = Instant.now();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers(),
                "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 2 * SLOTS; i++) {
                var receiver = new DrippingReceiver();
                dripping.add(receiver);
                drippingHooks.add(webhook(receiver.url()));
            }
            // A change for the dripping receivers only: they take every slot.
            publish(producer, "slow", Action.WATCH, t0);
            publish(producer, "slow", Action.EXPAND, t0.plusSeconds(60));
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    dripping.stream().mapToInt(r -> r.requests.get()).sum() >= SLOTS);

            try (var honest = new AlertReceiver(0)) {
                webhook(honest.url());
                publish(producer, "fast", Action.WATCH, t0);
                publish(producer, "fast", Action.EXPAND, t0.plusSeconds(60));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(honest.received).as("the honest receiver's alert").anySatisfy(r ->
                                assertThat(r.feature()).isEqualTo("fast")));
            }
            // A receiver notices the hang-up on its next write (every 200 ms).
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(dripping.stream().mapToInt(r -> r.hungUp.get()).sum())
                            .as("dripping answers cut off at the deadline").isGreaterThanOrEqualTo(SLOTS));
            URI notifier = stack.service("notifier").uri("/");
            var log = client.admin(notifier, "GET", "/v1/admin/projects/" + PROJECT + "/webhooks/" + drippingHooks.get(0)
                    + "/deliveries", TestStacks.ADMIN_TOKEN, null);
            assertThat(log.status()).as(log.text()).isEqualTo(200);
            System.out.printf("AbuseIT: %d dripping receivers on %d slots, honest alert delivered; delivery log: %s%n",
                    dripping.size(), SLOTS, log.text());
        } finally {
            dripping.forEach(DrippingReceiver::close);
        }
    }
}
