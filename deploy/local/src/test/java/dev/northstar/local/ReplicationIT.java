package dev.northstar.local;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The system on a three-broker KRaft cluster (child processes from the same Maven artifacts), every
 * topic with replication factor 3 and {@code min.insync.replicas=2}: under load through ingest, one
 * broker is killed with SIGKILL and brought back, then another. No event answered 202 is lost and
 * every number the signal services publish equals the oracle.
 */
class ReplicationIT {

    private static final List<String> SERVICES = List.of("ingest", "adoption", "friction", "feedback");

    @Test
    void noAcknowledgedEventIsLostAndEveryNumberIsExactWhileBrokersCrashAndReturn() throws Exception {
        try (LocalStack stack = TestStacks.startCluster(SERVICES, 3, Map.of("NORTHSTAR_STORE_SNAPSHOT_INTERVAL", "1s"))) {
            var client = new NorthstarClient(stack.service("ingest").uri("/"), stack.service("ingest").uri("/"));
            List<String> projects = GeneratedLoad.projectsOnDistinctPartitions("replicated-", 2);
            Map<String, String> writeKeys = new HashMap<>();
            Map<String, List<GeneratedLoad.Generated>> events = new HashMap<>();
            Map<String, GeneratedLoad.Oracle> oracles = new HashMap<>();
            for (int p = 0; p < projects.size(); p++) {
                String id = projects.get(p);
                var created = client.createProject(TestStacks.ADMIN_TOKEN, id, id);
                assertThat(created.status()).as(created.text()).isEqualTo(201);
                writeKeys.put(id, created.body().get("writeKey").asText());
                events.put(id, GeneratedLoad.generate(100 + p, id, 4_000));
                oracles.put(id, GeneratedLoad.Oracle.of(events.get(id)));
            }
            AtomicInteger notAccepted = new AtomicInteger();
            Thread producer = new Thread(() -> notAccepted.set(
                    GeneratedLoad.publish(client, projects, writeKeys, events, new Random(5), 60)), "generator");
            producer.start();

            List<String> bounces = new ArrayList<>();
            for (int node : new int[] {1, 2}) {
                Thread.sleep(3_000);
                stack.killBroker(node);
                bounces.add("broker " + node + " killed");
                Thread.sleep(6_000);
                stack.restartBroker(node);
                awaitFullyReplicated(stack.bootstrapServers());
                bounces.add("broker " + node + " back, every partition in sync on 3 replicas");
            }
            producer.join(Duration.ofMinutes(5).toMillis());
            assertThat(producer.isAlive()).as("the generator finished").isFalse();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                for (String id : projects) {
                    GeneratedLoad.assertExact(stack.adminClientSettings(), id, oracles.get(id));
                }
            });
            int total = events.values().stream().mapToInt(List::size).sum();
            System.out.printf("ReplicationIT: %d events over %d projects through ingest on 3 brokers (RF 3, min ISR 2); "
                    + "%s; %d answers other than 202 retried; lost 0, mismatches 0%n", total, projects.size(),
                    String.join(", ", bounces), notAccepted.get());
        }
    }

    /** Waits until every partition of every topic has all its replicas in sync again. */
    private static void awaitFullyReplicated(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                var names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                return admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.isr().size() == p.replicas().size());
            });
        }
    }
}
