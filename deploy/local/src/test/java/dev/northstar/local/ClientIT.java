package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.client.Actor;
import dev.northstar.client.Northstar;
import dev.northstar.client.Rejection;
import dev.northstar.model.topic.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java client ({@code clients/java}) against the real ingest, killed -9 twice while the client
 * streams: the client retries each unanswered batch with the same event ids, so adoption's numbers
 * equal the oracle — nothing lost, nothing counted twice.
 */
class ClientIT {

    private static LocalStack stack;
    private static NorthstarClient admin;

    @BeforeAll
    static void start() {
        stack = TestStacks.start(List.of("ingest", "adoption"));
        admin = new NorthstarClient(stack.service("ingest").uri("/"), stack.service("ingest").uri("/"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aStreamThroughTwoKillsOfIngestIsCountedExactlyOnce() throws Exception {
        var created = admin.createProject(TestStacks.ADMIN_TOKEN, "client-stream", "Client stream");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String writeKey = created.body().get("writeKey").asText();
        ServiceProcess ingest = stack.service("ingest");

        int events = 4_000;
        Random random = new Random(19);
        Map<String, Set<String>> users = new HashMap<>();
        Map<String, Long> uses = new HashMap<>();
        List<Rejection> rejections = new CopyOnWriteArrayList<>();
        try (Northstar northstar = Northstar.builder(ingest.uri("/"), writeKey).batchSize(50)
                .linger(Duration.ofMillis(5)).backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .retryBudget(Duration.ofMinutes(3)).onRejected(rejections::add).build()) {
            for (int i = 0; i < events; i++) {
                String user = "u" + random.nextInt(300);
                String feature = "f" + random.nextInt(4);
                assertThat(northstar.featureUsed(Actor.user(user), feature)).isTrue();
                users.computeIfAbsent(feature, f -> new HashSet<>()).add(user);
                uses.merge(feature, 1L, Long::sum);
                if (i == events / 3 || i == 2 * events / 3) {
                    northstar.flush(Duration.ofMillis(200)); // some batches in flight when it dies
                    ingest.kill();
                    ingest.start();
                }
                if (i % 100 == 0) {
                    Thread.sleep(5); // a stream, not one burst
                }
            }
            ingest.awaitReady(Duration.ofSeconds(90));
            assertThat(northstar.flush(Duration.ofMinutes(3))).as("every event answered").isTrue();
            System.out.println("client through two kills of ingest: " + northstar.stats());
            assertThat(rejections).isEmpty();
            assertThat(northstar.stats().accepted()).isEqualTo(events);
            assertThat(northstar.stats().retries()).as("the kills were felt").isPositive();
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, List<JsonNode>> adoption =
                    GeneratedLoad.slices(stack.adminClientSettings(), Topics.FEATURE_ADOPTION, "client-stream/");
            for (String feature : uses.keySet()) {
                List<JsonNode> slices = adoption.get("client-stream/" + feature);
                assertThat(slices).as(feature).isNotNull();
                assertThat(GeneratedLoad.sum(slices, "uses")).as("uses of " + feature).isEqualTo(uses.get(feature));
                assertThat(GeneratedLoad.sum(slices, "users", "all")).as("users of " + feature)
                        .isEqualTo(users.get(feature).size());
            }
        });
    }
}
