package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topic;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The signal services' numbers are exact after crashes, clean stops and rebalances, with real
 * processes, a real broker and the json store: a generator with known ground truth (including
 * deliberate duplicates) publishes through ingest while the consumers are killed with SIGKILL,
 * stopped cleanly, and joined by a second instance that later leaves. After quiescence every
 * published number equals the oracle recomputed from the input.
 */
class ConsumerFaultIT {

    private static final List<String> CONSUMERS = TestStacks.signalServices();
    private static LocalStack stack;
    private static NorthstarClient client;

    @BeforeAll
    static void start() {
        // State saved every second, so that crashes land between saves as well as right after them.
        List<String> services = new java.util.ArrayList<>(CONSUMERS);
        services.add("ingest");
        stack = TestStacks.start(services,
                Map.of("NORTHSTAR_STORE_SNAPSHOT_INTERVAL", "1s"));
        client = new NorthstarClient(stack.service("ingest").uri("/"), stack.service("ingest").uri("/"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** One generated event, and what it must add to the numbers. */
    record Generated(String id, String type, String user, String feature, String errorCode, Integer rating, Instant at) {
        String json() {
            return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"userId\":\"" + user + "\",\"feature\":\""
                    + feature + "\",\"occurredAt\":\"" + at + "\""
                    + (errorCode == null ? "" : ",\"errorCode\":\"" + errorCode + "\"")
                    + (rating == null ? "" : ",\"rating\":" + rating) + "}";
        }
    }

    /** The numbers the services must publish, recomputed from the input. */
    record Oracle(Map<String, Set<String>> users, Map<String, Long> uses, Map<String, Long> failures,
                  Map<String, Long> ratings, Map<String, long[]> distribution) {
        static Oracle of(List<Generated> events) {
            Oracle o = new Oracle(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
            for (Generated e : events) {
                switch (e.type()) {
                    case "feature_used" -> {
                        o.users.computeIfAbsent(e.feature(), f -> new HashSet<>()).add(e.user());
                        o.uses.merge(e.feature(), 1L, Long::sum);
                    }
                    case "feature_failed" -> o.failures.merge(e.feature(), 1L, Long::sum);
                    case "feedback_given" -> {
                        o.ratings.merge(e.feature(), 1L, Long::sum);
                        o.distribution.computeIfAbsent(e.feature(), f -> new long[5])[e.rating() - 1]++;
                    }
                    default -> throw new IllegalStateException(e.type());
                }
            }
            return o;
        }
    }

    private static List<Generated> generate(long seed, String prefix, int count) {
        Random random = new Random(seed);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Generated> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String user = "u" + random.nextInt(150);
            String feature = "f" + random.nextInt(5);
            Instant at = now.minus(Duration.ofMinutes(random.nextInt(3 * 24 * 60)));
            int kind = random.nextInt(100);
            String id = prefix + "-" + i;
            events.add(kind < 70 ? new Generated(id, "feature_used", user, feature, null, null, at)
                    : kind < 85 ? new Generated(id, "feature_failed", user, feature, "E" + random.nextInt(4), null, at)
                    : new Generated(id, "feedback_given", user, feature, null, 1 + random.nextInt(5), at));
        }
        return events;
    }

    /**
     * Sends every event in batches of 50, resending some batches whole (deliberate duplicates), paced
     * so that publishing lasts about as long as the faults (about a minute).
     */
    private static void publish(String writeKey, List<Generated> events, Random random) {
        for (int from = 0; from < events.size(); from += 50) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            List<Generated> batch = events.subList(from, Math.min(events.size(), from + 50));
            String body = "{\"events\":[" + String.join(",", batch.stream().map(Generated::json).toList()) + "]}";
            int copies = random.nextInt(100) < 20 ? 2 : 1;
            for (int copy = 0; copy < copies; copy++) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    var answer = client.postEvents(writeKey, body);
                    return answer.status() == 202 && answer.body().get("accepted").asInt() == batch.size();
                });
            }
        }
    }

    @Test
    void numbersAreExactAfterKillsCleanStopsAndAnInstanceJoiningAndLeaving() throws Exception {
        var project = client.createProject(TestStacks.ADMIN_TOKEN, "faults", "Faults");
        assertThat(project.status()).as(project.text()).isEqualTo(201);
        String writeKey = project.body().get("writeKey").asText();
        List<Generated> events = generate(42, "faults", 12_000);
        Oracle oracle = Oracle.of(events);
        Random random = new Random(7);

        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            try {
                publish(writeKey, events, new Random(11));
            } finally {
                publishing.set(false);
            }
        }, "generator");
        producer.start();

        // Three rounds of SIGKILL at random moments for every consumer, then a clean stop and start.
        // Each fault lands while the instance owns its partitions and consumes.
        for (int round = 1; round <= 4; round++) {
            for (String name : CONSUMERS) {
                awaitOwnsPartitions(stack.service(name));
            }
            for (String name : CONSUMERS) {
                Thread.sleep(200 + random.nextInt(1500));
                ServiceProcess service = stack.service(name);
                if (round <= 3) {
                    service.kill();
                } else {
                    service.close();
                }
                service.start();
            }
            for (String name : CONSUMERS) {
                stack.service(name).awaitReady(Duration.ofSeconds(120));
            }
        }
        // A second adoption instance joins the group mid-stream (partitions move to it), then leaves.
        ServiceProcess second = stack.anotherInstance("adoption", "adoption-2", TestStacks.freePort());
        try {
            second.start();
            second.awaitReady(Duration.ofSeconds(120));
            Thread.sleep(3_000);
        } finally {
            second.close();
        }
        producer.join(Duration.ofMinutes(5).toMillis());
        assertThat(publishing.get()).as("the generator finished").isFalse();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Map<String, JsonNode> adoption = latest(Topics.FEATURE_ADOPTION, "faults/");
            Map<String, JsonNode> friction = latest(Topics.FEATURE_FRICTION, "faults/");
            Map<String, JsonNode> feedback = latest(Topics.FEATURE_FEEDBACK, "faults/");
            for (String feature : oracle.uses().keySet()) {
                JsonNode a = adoption.get("faults/" + feature);
                assertThat(a).as("adoption of " + feature).isNotNull();
                assertThat(a.path("users").path("all").asLong()).as("users of " + feature)
                        .isEqualTo(oracle.users().get(feature).size());
                assertThat(a.path("uses").asLong()).as("uses of " + feature).isEqualTo(oracle.uses().get(feature));
            }
            for (String feature : oracle.failures().keySet()) {
                JsonNode f = friction.get("faults/" + feature);
                assertThat(f).as("friction of " + feature).isNotNull();
                assertThat(f.path("failures").asLong()).as("failures of " + feature)
                        .isEqualTo(oracle.failures().get(feature));
            }
            for (String feature : oracle.ratings().keySet()) {
                JsonNode r = feedback.get("faults/" + feature);
                assertThat(r).as("feedback of " + feature).isNotNull();
                assertThat(r.path("count").asLong()).as("ratings of " + feature).isEqualTo(oracle.ratings().get(feature));
                List<Long> distribution = new ArrayList<>();
                r.path("distribution").forEach(n -> distribution.add(n.asLong()));
                assertThat(distribution).as("distribution of " + feature)
                        .containsExactly(java.util.Arrays.stream(oracle.distribution().get(feature)).boxed()
                                .toArray(Long[]::new));
            }
        });
        // The crashes really happened against saved state: the restarts resumed from it.
        for (String name : CONSUMERS) {
            assertThat(java.nio.file.Files.readString(stack.service(name).log()))
                    .as(name + " resumed from its json state at least once").contains("state restored, resuming at offset");
        }
    }

    /** Waits until the instance's consumer has partitions assigned (its state gauge says so). */
    private static void awaitOwnsPartitions(ServiceProcess service) {
        var http = java.net.http.HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(service.uri("/q/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().anyMatch(line -> line.startsWith("northstar_store_partitions_owned")
                    && !line.trim().endsWith(" 0.0"));
        });
    }

    /** The latest value of every key of a compacted topic whose key starts with {@code prefix}. */
    private static Map<String, JsonNode> latest(Topic<?> topic, String prefix) throws IOException {
        Map<String, JsonNode> latest = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && record.key().startsWith(prefix) && record.value() != null) {
                        latest.put(record.key(), NorthstarJson.mapper().readTree(record.value()));
                    }
                }
            }
        }
        return latest;
    }
}
