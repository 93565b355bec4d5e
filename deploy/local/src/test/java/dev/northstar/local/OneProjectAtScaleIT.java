package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One project far larger than one partition (ADR 0015): a million actors (a fifth of them anonymous)
 * over the six partitions of the events topic, counted by three instances of each signal service
 * (one of each killed -9 while it counts, and started again), added up by insights. Every number
 * the query API shows equals the oracle computed from the input: active users, users and uses per
 * feature, failures and rates, ratings and their distribution, and the users reaching each funnel step.
 */
class OneProjectAtScaleIT {

    private static final String PROJECT = "one-big-project";
    private static final int ACTORS = 1_000_000;
    private static final int FEATURES = 8;
    private static final String FUNNEL = "onboarding";
    private static final List<String> CONSUMERS = TestStacks.signalServices();
    private static LocalStack stack;
    private static NorthstarClient client;
    private static final List<ServiceProcess> extra = new ArrayList<>();

    @BeforeAll
    static void start() {
        List<String> services = new ArrayList<>(CONSUMERS);
        services.add("ingest");
        services.add("insights");
        stack = TestStacks.start(services, Map.of("NORTHSTAR_STORE_SNAPSHOT_INTERVAL", "2s"));
        client = new NorthstarClient(stack.service("ingest").uri("/"), stack.service("insights").uri("/"));
    }

    @AfterAll
    static void stop() {
        extra.forEach(ServiceProcess::close);
        if (stack != null) {
            stack.close();
        }
    }

    /** What the input must add up to, kept compactly (actor numbers in bit sets). */
    private static final class Oracle {
        final BitSet active = new BitSet(ACTORS);
        final BitSet[] users = new BitSet[FEATURES];
        final long[] uses = new long[FEATURES];
        final long[] failures = new long[FEATURES];
        final long[][] codes = new long[FEATURES][3];
        final long[][] ratings = new long[FEATURES][5];
        final BitSet[] steps = {new BitSet(), new BitSet(), new BitSet()};

        Oracle() {
            for (int f = 0; f < FEATURES; f++) {
                users[f] = new BitSet(ACTORS);
            }
        }
    }

    private static String actorField(int actor) {
        return actor % 5 == 0 ? "\"anonymousId\":\"anon-" + actor + "\"" : "\"userId\":\"user-" + actor + "\"";
    }

    private static String actorId(int actor) {
        return actor % 5 == 0 ? "anon-" + actor : "user-" + actor;
    }

    @Test
    void aProjectOfAMillionActorsOverEveryPartitionAndInstanceEqualsTheOracle() throws Exception {
        var project = client.createProject(TestStacks.ADMIN_TOKEN, PROJECT, PROJECT);
        assertThat(project.status()).as(project.text()).isEqualTo(201);
        String readKey = project.body().get("readKey").asText();
        for (String name : CONSUMERS) {
            for (int n = 2; n <= 3; n++) {
                ServiceProcess instance = stack.anotherInstance(name, name + "-" + n, TestStacks.freePort());
                extra.add(instance);
                instance.start();
            }
        }
        for (ServiceProcess instance : extra) {
            instance.awaitReady(Duration.ofSeconds(180));
        }

        Oracle oracle = new Oracle();
        Random random = new Random(2026);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> config = new HashMap<>(stack.adminClientSettings());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicReference<Exception> failed = new AtomicReference<>();
        long sent = 0;
        long[] id = {0};
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int actor = 0; actor < ACTORS; actor++) {
                if (actor == ACTORS / 2) {
                    // Half-way, one instance of every signal service dies without a word, and comes back.
                    for (String name : CONSUMERS) {
                        ServiceProcess victim = stack.service(name);
                        victim.kill();
                        victim.start();
                    }
                }
                String key = Topics.eventKey(PROJECT, actorId(actor));
                List<String> events = new ArrayList<>(4);
                int feature = random.nextInt(FEATURES);
                Instant at = now.minusSeconds(60 + random.nextInt(2 * 24 * 3600));
                events.add(event(id[0]++, "feature_used", actor, ",\"feature\":\"f" + feature + "\"", at));
                oracle.users[feature].set(actor);
                oracle.uses[feature]++;
                int roll = random.nextInt(100);
                if (roll < 10) {
                    int other = random.nextInt(FEATURES);
                    events.add(event(id[0]++, "feature_used", actor, ",\"feature\":\"f" + other + "\"", at.plusSeconds(5)));
                    oracle.users[other].set(actor);
                    oracle.uses[other]++;
                } else if (roll < 18) {
                    int code = random.nextInt(3);
                    events.add(event(id[0]++, "feature_failed", actor, ",\"feature\":\"f" + feature
                            + "\",\"errorCode\":\"E" + code + "\"", at.plusSeconds(5)));
                    oracle.failures[feature]++;
                    oracle.codes[feature][code]++;
                } else if (roll < 22) {
                    int rating = 1 + random.nextInt(5);
                    events.add(event(id[0]++, "feedback_given", actor, ",\"feature\":\"f" + feature + "\",\"rating\":"
                            + rating, at.plusSeconds(5)));
                    oracle.ratings[feature][rating - 1]++;
                } else if (roll < 28) {
                    int depth = 1 + random.nextInt(3);
                    for (int step = 1; step <= depth; step++) {
                        events.add(event(id[0]++, "funnel_step", actor, ",\"funnel\":\"" + FUNNEL + "\",\"step\":" + step,
                                at.plusSeconds(10L * step)));
                        oracle.steps[step - 1].set(actor);
                    }
                }
                oracle.active.set(actor);
                for (String event : events) {
                    int copies = random.nextInt(100) == 0 ? 2 : 1; // a resend now and then: counted once
                    for (int c = 0; c < copies; c++) {
                        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), key, event), (m, e) -> {
                            if (e != null) {
                                failed.compareAndSet(null, e);
                            }
                        });
                        sent++;
                    }
                }
            }
            producer.flush();
        }
        assertThat(failed.get()).as("every event written").isNull();
        for (String name : CONSUMERS) {
            stack.service(name).awaitReady(Duration.ofSeconds(180));
        }

        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            var page = client.get("/v1/projects/" + PROJECT + "/features", readKey);
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            long active = oracle.active.cardinality();
            assertThat(page.body().path("activeUsers").path("all").asLong()).as("active users").isEqualTo(active);
            assertThat(page.body().path("activeUsers").path("d7").asLong()).as("active users d7").isEqualTo(active);
            Map<String, JsonNode> features = new HashMap<>();
            page.body().path("features").forEach(f -> features.put(f.path("feature").asText(), f));
            for (int f = 0; f < FEATURES; f++) {
                JsonNode feature = features.get("f" + f);
                assertThat(feature).as("f" + f).isNotNull();
                long users = oracle.users[f].cardinality();
                assertThat(feature.path("users").path("all").asLong()).as("users of f" + f).isEqualTo(users);
                assertThat(feature.path("users").path("d28").asLong()).as("users d28 of f" + f).isEqualTo(users);
                assertThat(feature.path("uses").asLong()).as("uses of f" + f).isEqualTo(oracle.uses[f]);
                assertThat(feature.path("usesByWindow").path("d7").asLong()).as("uses d7 of f" + f)
                        .isEqualTo(oracle.uses[f]);
                assertThat(feature.path("adoption").asDouble()).as("adoption of f" + f)
                        .isCloseTo((double) users / active, org.assertj.core.data.Offset.offset(1e-12));
                double rate = (double) oracle.failures[f] / (oracle.uses[f] + oracle.failures[f]);
                assertThat(feature.path("failureRate").asDouble()).as("failure rate of f" + f)
                        .isCloseTo(rate, org.assertj.core.data.Offset.offset(1e-12));
                long ratings = java.util.Arrays.stream(oracle.ratings[f]).sum();
                assertThat(feature.path("rating").path("count").asLong()).as("ratings of f" + f).isEqualTo(ratings);
                assertThat(feature.path("rating28d").path("count").asLong()).as("ratings 28d of f" + f).isEqualTo(ratings);
            }
            var detail = client.get("/v1/projects/" + PROJECT + "/features/f0", readKey);
            assertThat(detail.body().path("failures").asLong()).as("failures of f0").isEqualTo(oracle.failures[0]);
            List<Long> distribution = new ArrayList<>();
            detail.body().path("ratingDistribution").forEach(n -> distribution.add(n.asLong()));
            assertThat(distribution).as("rating distribution of f0")
                    .containsExactly(java.util.Arrays.stream(oracle.ratings[0]).boxed().toArray(Long[]::new));
            Map<String, Long> codes = new HashMap<>();
            detail.body().path("errorCodes28d").forEach(c -> codes.put(c.path("errorCode").asText(), c.path("count").asLong()));
            assertThat(codes).as("error codes of f0, 28 days")
                    .isEqualTo(Map.of("E0", oracle.codes[0][0], "E1", oracle.codes[0][1], "E2", oracle.codes[0][2]));
            assertThat(detail.body().path("otherErrors28d").asLong()).as("other error codes of f0").isZero();
            var funnel = client.get("/v1/projects/" + PROJECT + "/funnels/" + FUNNEL, readKey);
            assertThat(funnel.status()).as(funnel.text()).isEqualTo(200);
            for (int step = 1; step <= 3; step++) {
                assertThat(funnel.body().path("steps").path(step - 1).path("users").asLong()).as("users at step " + step)
                        .isEqualTo(oracle.steps[step - 1].cardinality());
            }
        });
        // Every instance counted a share: each owned partitions of the events topic.
        List<ServiceProcess> instances = new ArrayList<>(extra);
        CONSUMERS.forEach(name -> instances.add(stack.service(name)));
        var http = java.net.http.HttpClient.newHttpClient();
        for (ServiceProcess instance : instances) {
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(instance.uri("/q/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics.lines().filter(l -> l.startsWith("northstar_store_partitions_owned")).findFirst())
                    .as(instance.name() + "@" + instance.port() + " owns partitions").hasValueSatisfying(l -> assertThat(l).doesNotEndWith(" 0.0"));
        }
        // What each instance holds for its share (printed for docs, never asserted: a test is no benchmark).
        for (ServiceProcess instance : instances) {
            String rss = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + instance.pid() + "/status"))
                    .stream().filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(instance.uri("/q/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            double heap = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes") && l.contains("area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            System.out.printf("OneProjectAtScaleIT: %s@%d %s, heap used %.0f MB%n", instance.name(), instance.port(), rss.replaceAll("\\s+", " "),
                    heap / 1e6);
        }
        System.out.printf("OneProjectAtScaleIT: %,d events (%,d records with resends) of %,d actors in one project over "
                        + "%d partitions and 3 instances of each signal service (one of each killed -9 half-way): every "
                        + "number in the query API equals the oracle%n", id[0], sent, ACTORS, Topics.DEFAULT_PARTITIONS);
    }

    private static String event(long id, String type, int actor, String fields, Instant at) {
        return "{\"schemaVersion\":\"1.0\",\"eventId\":\"s" + id + "\",\"type\":\"" + type + "\",\"projectId\":\""
                + PROJECT + "\"," + actorField(actor) + fields + ",\"occurredAt\":\"" + at + "\",\"receivedAt\":\""
                + at.plusSeconds(1) + "\"}";
    }
}
