package dev.northstar.bench;

import dev.northstar.local.LocalStack;
import dev.northstar.local.NorthstarClient;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Freshness: from ingest's 202 for an event to the event visible in the query API, under background
 * load at half of ingest's measured maximum.
 *
 * <pre>java -cp deploy/bench/target/northstar-bench.jar dev.northstar.bench.FreshnessBenchmark [seconds] [probes-per-second]</pre>
 *
 * {@code -Dbench.publish-interval=1s} sets the signal services' publish interval
 * ({@code NORTHSTAR_SIGNALS_PUBLISH_INTERVAL}; the default is theirs).
 *
 * <ol>
 *   <li>Starts a broker, ingest, adoption, friction, feedback and insights (rate limit lifted).</li>
 *   <li>Finds ingest's closed-loop maximum (8 connections, 10 s, after 15 s of the same to warm up) and starts open-loop background load
 *       at half of it (batches of 100 events, project {@code bench}).</li>
 *   <li>Meanwhile posts probes on a fixed schedule (open loop: a slow probe never delays the next):
 *       one {@code feature_used} in project {@code probe}, of one of 30 features in turn; from its 202
 *       it polls insights' {@code GET /v1/projects/probe/features/<feature>} every 10 ms until the
 *       feature shows as many uses as probes were sent to it. Latency: 202 to first answer showing it (10 ms polling granularity).</li>
 *   <li>Reports the percentiles, the probes' own 202 latency, and the snapshot records the signal
 *       services wrote per second meanwhile (what a shorter publish interval costs).</li>
 * </ol>
 */
public final class FreshnessBenchmark {

    private FreshnessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int probesPerSecond = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Map<String, String> environment = new HashMap<>(IngestBenchmark.serviceEnvironment());
        String interval = System.getProperty("bench.publish-interval");
        if (interval != null) {
            environment.put("NORTHSTAR_SIGNALS_PUBLISH_INTERVAL", interval);
        }
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (String service : List.of("ingest", "adoption", "friction", "feedback", "insights")) {
            ports.put(service, IngestBenchmark.freePort());
        }
        Path dataDir = Files.createTempDirectory("northstar-bench-freshness-");
        var options = new LocalStack.Options(IngestBenchmark.repoRoot(), dataDir, IngestBenchmark.freePort(),
                IngestBenchmark.freePort(), ports, "bench-admin-token", System.getProperty("java.class.path"), environment);
        try (LocalStack stack = LocalStack.start(options, System.out::println)) {
            URI ingest = stack.service("ingest").uri("/");
            URI insights = stack.service("insights").uri("/");
            var client = new NorthstarClient(ingest, insights);
            String loadKey = client.createProject("bench-admin-token", "bench", "bench").body().get("writeKey").asText();
            var probe = client.createProject("bench-admin-token", "probe", "probe").body();
            String probeWrite = probe.get("writeKey").asText();
            String probeRead = probe.get("readKey").asText();
            System.out.printf(Locale.ROOT, "%nMachine: %d cores, %s %s, Java %s; publish interval %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                    System.getProperty("os.arch"), System.getProperty("java.version"),
                    interval == null ? "the services' default" : interval);

            IngestBenchmark.closedLoop(ingest, loadKey, 8, Duration.ofSeconds(15)); // warm-up: five JVMs start at once
            IngestBenchmark.Result maximum = IngestBenchmark.closedLoop(ingest, loadKey, 8, Duration.ofSeconds(10));
            int half = (int) (maximum.eventsPerSecond() / 2 / 100) * 100;
            System.out.printf(Locale.ROOT, "Ingest closed-loop maximum: %,.0f events/s (non-202: %s); background load: %,d events/s%n",
                    maximum.eventsPerSecond(), maximum.failures(), half);

            // The closed loop leaves the consumers behind: measure only once they have caught up.
            HttpClient http = HttpClient.newHttpClient();
            double accepted = AdoptionBenchmark.metric(http, stack.service("ingest").uri("/q/metrics"),
                    "northstar_ingest_events_total{reason=\"none\",service=\"ingest\",status=\"accepted\"}");
            long waitFrom = System.nanoTime();
            for (String service : List.of("adoption", "friction", "feedback")) {
                while (AdoptionBenchmark.metric(http, stack.service(service).uri("/q/metrics"), "northstar_events_counted_total")
                        < accepted) {
                    Thread.sleep(200);
                }
            }
            System.out.printf(Locale.ROOT, "The signal services caught up with the %,.0f events %.1f s after the closed loop%n",
                    accepted, (System.nanoTime() - waitFrom) / 1e9);
            ExecutorService background = Executors.newSingleThreadExecutor();
            Future<IngestBenchmark.Result> load = background.submit(() ->
                    IngestBenchmark.openLoop(ingest, loadKey, half, Duration.ofSeconds(seconds + 10)));
            Thread.sleep(5_000); // the load settles before the first probe
            long snapshotsBefore = snapshotRecords(stack.bootstrapServers());
            long measuredFrom = System.nanoTime();
            Probes probes = probe(client, insights, probeWrite, probeRead, probesPerSecond, Duration.ofSeconds(seconds));
            double measuredSeconds = (System.nanoTime() - measuredFrom) / 1e9;
            long snapshots = snapshotRecords(stack.bootstrapServers()) - snapshotsBefore;
            IngestBenchmark.Result background0 = load.get();
            background.shutdown();

            for (String service : List.of("adoption", "friction", "feedback", "insights")) {
                URI metrics = stack.service(service).uri("/q/metrics");
                double count = AdoptionBenchmark.metric(http, metrics, "northstar_snapshot_freshness_seconds_count");
                double sum = AdoptionBenchmark.metric(http, metrics, "northstar_snapshot_freshness_seconds_sum");
                double max = AdoptionBenchmark.metric(http, metrics, "northstar_snapshot_freshness_seconds_max");
                System.out.printf(Locale.ROOT, "%s: %,.0f publishes, freshness mean %.0f ms, recent max %.0f ms "
                        + "(input written → publish acknowledged, its own meter)%n", service, count, sum / count * 1000, max * 1000);
            }
            long[] visible = probes.visible.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] acceptedLatency = probes.accepted.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.println();
            System.out.println("| probes | background events/s | 202 → visible p50 ms | p90 ms | p99 ms | max ms | probe 202 p99 ms | "
                    + "snapshot records/s | not seen in 10 s |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            System.out.printf(Locale.ROOT, "| %,d | %,.0f (%s non-202) | %.0f | %.0f | %.0f | %.0f | %.1f | %,.0f | %d |%n",
                    visible.length, background0.eventsPerSecond(), background0.failures(), p(visible, 50), p(visible, 90),
                    p(visible, 99), p(visible, 100), p(acceptedLatency, 99), snapshots / measuredSeconds, probes.missed.get());
        }
    }

    private record Probes(ConcurrentLinkedQueue<Long> visible, ConcurrentLinkedQueue<Long> accepted, AtomicLong missed) {
    }

    private static Probes probe(NorthstarClient client, URI insights, String writeKey, String readKey, int perSecond,
                                Duration duration) throws Exception {
        Probes probes = new Probes(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(), new AtomicLong());
        ExecutorService pool = Executors.newFixedThreadPool(32);
        HttpClient http = HttpClient.newHttpClient();
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long count = duration.toNanos() / interval;
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            // A fixed catalogue of probe features, each used again every FEATURES / perSecond seconds:
            // the probe is visible once its feature shows as many uses as probes were sent to it.
            String feature = "probe-" + (i % FEATURES);
            long uses = i / FEATURES + 1;
            long number = i;
            running.add(pool.submit(() -> {
                String event = "{\"events\":[{\"eventId\":\"probe-" + number + "\",\"type\":\"feature_used\",\"userId\":\"prober\","
                        + "\"feature\":\"" + feature + "\",\"occurredAt\":\"" + Instant.now() + "\"}]}";
                var answer = client.postEvents(writeKey, event);
                long acceptedAt = System.nanoTime();
                if (answer.status() != 202) {
                    probes.missed.incrementAndGet();
                    return null;
                }
                probes.accepted.add(acceptedAt - due);
                HttpRequest read = HttpRequest.newBuilder(insights.resolve("/v1/projects/probe/features/" + feature))
                        .header("Authorization", "Bearer " + readKey).build();
                while (System.nanoTime() - acceptedAt < TimeUnit.SECONDS.toNanos(10)) {
                    var response = http.send(read, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && usesOf(response.body()) >= uses) {
                        probes.visible.add(System.nanoTime() - acceptedAt);
                        return null;
                    }
                    Thread.sleep(10);
                }
                probes.missed.incrementAndGet();
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        return probes;
    }

    /** Records on the signal services' snapshot topics (sum of end offsets). */
    private static long snapshotRecords(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (String topic : List.of(Topics.FEATURE_ADOPTION.name(), Topics.FEATURE_FRICTION.name(),
                    Topics.FEATURE_FEEDBACK.name())) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            return admin.listOffsets(ends).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    private static final int FEATURES = 30;

    private static long usesOf(String feature) {
        var m = java.util.regex.Pattern.compile("\"uses\":(\\d+)").matcher(feature);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static double p(long[] sortedNanos, double percentile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(percentile / 100 * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, i)] / 1e6;
    }
}
