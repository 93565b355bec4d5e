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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The signal services' numbers are exact after crashes, clean stops and rebalances, with real
 * processes, a real broker and the json store: a generator with known ground truth (including
 * deliberate duplicates) publishes through ingest while the consumers are killed with SIGKILL,
 * stopped cleanly, and joined by two more instances each that join and leave repeatedly, over three
 * projects spread over every partition (events are keyed by project and actor). After quiescence every published number equals the oracle recomputed
 * from the input, no all-time number ever published went back, and the groups' committed offsets
 * show no lag.
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

    @Test
    void numbersAreExactAndNeverGoBackAfterKillsCleanStopsAndInstancesJoiningAndLeaving() throws Exception {
        List<String> projects = GeneratedLoad.projectsOnDistinctPartitions("faults-", 3);
        Map<String, String> writeKeys = new HashMap<>();
        Map<String, List<GeneratedLoad.Generated>> events = new HashMap<>();
        Map<String, GeneratedLoad.Oracle> oracles = new HashMap<>();
        for (int p = 0; p < projects.size(); p++) {
            String id = projects.get(p);
            var project = client.createProject(TestStacks.ADMIN_TOKEN, id, id);
            assertThat(project.status()).as(project.text()).isEqualTo(201);
            writeKeys.put(id, project.body().get("writeKey").asText());
            events.put(id, GeneratedLoad.generate(42 + p, id, 5_000));
            oracles.put(id, GeneratedLoad.Oracle.of(events.get(id)));
        }
        Random random = new Random(7);

        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            try {
                GeneratedLoad.publish(client, projects, writeKeys, events, new Random(11), 70);
            } finally {
                publishing.set(false);
            }
        }, "generator");
        producer.start();

        // Three rounds of SIGKILL at random moments for every consumer, then a clean stop and start.
        // Each fault lands while the instance owns its partitions and consumes.
        int kills = 0;
        int cleanStops = 0;
        for (int round = 1; round <= 4; round++) {
            for (String name : CONSUMERS) {
                awaitOwnsPartitions(stack.service(name));
            }
            for (String name : CONSUMERS) {
                Thread.sleep(200 + random.nextInt(1500));
                ServiceProcess service = stack.service(name);
                if (round <= 3) {
                    service.kill();
                    kills++;
                } else {
                    service.close();
                    cleanStops++;
                }
                service.start();
            }
            for (String name : CONSUMERS) {
                stack.service(name).awaitReady(Duration.ofSeconds(120));
            }
        }
        // Under load, two more instances of every consumer join the group (partitions move to them),
        // one leaves and joins again, then both leave: five rebalances per consumer group.
        int joinsAndLeaves = 0;
        List<ServiceProcess> extra = new ArrayList<>();
        try {
            for (int n = 2; n <= 3; n++) {
                for (String name : CONSUMERS) {
                    ServiceProcess instance = stack.anotherInstance(name, name + "-" + n, TestStacks.freePort());
                    extra.add(instance);
                    instance.start();
                    joinsAndLeaves++;
                }
            }
            for (ServiceProcess instance : extra) {
                instance.awaitReady(Duration.ofSeconds(120));
            }
            for (ServiceProcess instance : extra.subList(0, CONSUMERS.size())) {
                Thread.sleep(300 + random.nextInt(700));
                instance.close();
                instance.start();
                joinsAndLeaves += 2;
            }
            for (ServiceProcess instance : extra) {
                instance.awaitReady(Duration.ofSeconds(120));
            }
            Thread.sleep(2_000);
        } finally {
            for (ServiceProcess instance : extra) {
                instance.close();
                joinsAndLeaves++;
            }
        }
        producer.join(Duration.ofMinutes(5).toMillis());
        assertThat(publishing.get()).as("the generator finished").isFalse();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (String id : projects) {
                GeneratedLoad.assertExact(stack.adminClientSettings(), id, oracles.get(id));
            }
        });
        // The crashes really happened against saved state: the restarts resumed from it.
        for (String name : CONSUMERS) {
            assertThat(java.nio.file.Files.readString(stack.service(name).log()))
                    .as(name + " resumed from its json state at least once").contains("state restored, resuming at offset");
        }
        // Every all-time number ever published, taken newest version first as insights takes them, never went back.
        long checked = 0;
        List<String> backwards = new ArrayList<>();
        checked += neverBack(Topics.FEATURE_ADOPTION, a -> a.path("users").path("all").asLong() * 1_000_000
                + a.path("uses").asLong(), backwards);
        checked += neverBack(Topics.FEATURE_FRICTION, f -> f.path("failures").asLong(), backwards);
        checked += neverBack(Topics.FEATURE_FEEDBACK, r -> r.path("count").asLong(), backwards);
        assertThat(backwards).as("all-time numbers that went back").isEmpty();
        // The groups' committed offsets reach the end of the events topic: standard tools show lag 0.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : CONSUMERS) {
                assertThat(lag("northstar-" + name)).as(name + " lag").isZero();
            }
        });
        int total = events.values().stream().mapToInt(List::size).sum();
        System.out.printf("ConsumerFaultIT: %d events over %d projects on %d partitions; %d kill -9, %d clean stops, "
                        + "%d instance joins/leaves per run; %d published snapshots checked; mismatches 0, "
                        + "numbers gone back %d, lag 0%n", total, projects.size(), Topics.DEFAULT_PARTITIONS, kills, cleanStops,
                joinsAndLeaves, checked, backwards.size());
    }

    /**
     * Reads a snapshot topic whole, in order; per feature key takes each record as insights does (not
     * older than the newest version taken) and checks that {@code allTime} never decreases. Returns how
     * many records were taken.
     */
    private static long neverBack(Topic<?> topic, java.util.function.ToLongFunction<JsonNode> allTime,
                                  List<String> backwards) throws IOException {
        Map<String, Long> newest = new HashMap<>();
        Map<String, Long> last = new HashMap<>();
        long[] taken = {0};
        GeneratedLoad.readWhole(stack.adminClientSettings(), topic, record -> {
            if (record.key() == null || !record.key().startsWith("faults-") || record.key().contains("/funnels/")
                    || record.key().indexOf('/') < 0 || record.value() == null) {
                return;
            }
            var header = record.headers().lastHeader(Topics.VERSION_HEADER);
            assertThat(header).as("version of " + record.key()).isNotNull();
            long version = Long.parseLong(new String(header.value(), java.nio.charset.StandardCharsets.US_ASCII));
            if (version < newest.getOrDefault(record.key(), Long.MIN_VALUE)) {
                return; // published late by an instance that had lost the partition: insights ignores it
            }
            newest.put(record.key(), version);
            taken[0]++;
            long value = allTime.applyAsLong(NorthstarJson.mapper().readTree(record.value()));
            Long previous = last.put(record.key(), value);
            if (previous != null && value < previous) {
                backwards.add(topic.name() + " " + record.key() + "@" + record.offset() + ": " + previous + " -> " + value);
            }
        });
        return taken[0];
    }

    /** The lag of a consumer group on the events topic, from its committed offsets (as kafka-consumer-groups shows it). */
    private static long lag(String group) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            var partitions = admin.describeTopics(List.of(Topics.EVENTS.name())).allTopicNames()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS).get(Topics.EVENTS.name()).partitions();
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new HashMap<>();
            partitions.forEach(p -> request.put(new TopicPartition(Topics.EVENTS.name(), p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
            var ends = admin.listOffsets(request).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            long lag = 0;
            for (var entry : ends.entrySet()) {
                var offset = committed.get(entry.getKey());
                long end = entry.getValue().offset();
                lag += end - (offset == null ? 0 : offset.offset());
            }
            return lag;
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
}
