package dev.northstar.bench;

import dev.northstar.local.LocalStack;
import dev.northstar.local.ServiceProcess;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumption throughput of the friction or the feedback service on a pre-filled events topic,
 * against the raw consumer and an idiomatic Kafka Streams implementation of the same sums, on the
 * same broker in the same run (as {@link AdoptionBenchmark} does for adoption).
 *
 * <pre>java -cp deploy/bench/target/northstar-bench.jar dev.northstar.bench.SignalBenchmark friction|feedback [events] [heap]</pre>
 *
 * Friction: 70 % {@code feature_used}, 30 % {@code feature_failed}; its peer sums attempts and
 * failures per (project, feature). Feedback: {@code feedback_given} with ratings 1–5; its peer sums
 * the count and the ratings per (project, feature). 20 projects × 30 features × 200,000 users,
 * uniform, event times over the last 27 days, 6 partitions. {@code -Dbench.service.jvm="..."} adds JVM
 * options to the service (a profiler), {@code -Dbench.peer=false} stops after it. Each peer is timed until it consumed
 * every event and its sums equal the generator's.
 */
public final class SignalBenchmark {

    private static final int PROJECTS = 20;
    private static final int FEATURES = 30;
    private static final int USERS = 200_000;

    private SignalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String service = args.length > 0 ? args[0] : "friction";
        if (!service.equals("friction") && !service.equals("feedback")) {
            throw new IllegalArgumentException("friction or feedback, not " + service);
        }
        long events = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000L;
        String heap = args.length > 2 ? args[2] : "768m";
        Path dataDir = Files.createTempDirectory("northstar-bench-" + service + "-");
        var options = new LocalStack.Options(AdoptionBenchmark.repoRoot(), dataDir, AdoptionBenchmark.freePort(),
                AdoptionBenchmark.freePort(), Map.of(), "bench-admin", System.getProperty("java.class.path"), Map.of());
        try (LocalStack stack = LocalStack.start(options, System.out::println)) {
            String bootstrap = stack.bootstrapServers();
            System.out.printf(Locale.ROOT, "%nMachine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
            long started = System.nanoTime();
            long[] truth = prefill(service, bootstrap, events);
            System.out.printf(Locale.ROOT, "Pre-filled %,d events (%s: %,d and %,d) in %.1f s%n", events,
                    service.equals("friction") ? "attempts, failures" : "ratings, their sum", truth[0], truth[1],
                    (System.nanoTime() - started) / 1e9);

            double raw = AdoptionBenchmark.consumerPerformance(bootstrap, events);
            System.out.printf(Locale.ROOT, "Raw consumer (ConsumerPerformance): %,.0f records/s%n", raw);
            double ours = serviceRate(stack, service, events, heap);
            if (!Boolean.parseBoolean(System.getProperty("bench.peer", "true"))) {
                return; // profiling the service alone: no peer, no ratios
            }
            double streams = kafkaStreams(service, bootstrap, events, truth, dataDir.resolve("streams"));

            System.out.println();
            System.out.println("| consumer | records/s | vs raw | vs Kafka Streams |");
            System.out.println("|---|---:|---:|---:|");
            System.out.printf(Locale.ROOT, "| raw (ConsumerPerformance) | %,.0f | 1.00 | %.1f |%n", raw, raw / streams);
            System.out.printf(Locale.ROOT, "| %s service | %,.0f | %.2f | %.1f |%n", service, ours, ours / raw, ours / streams);
            System.out.printf(Locale.ROOT, "| Kafka Streams peer | %,.0f | %.2f | 1.0 |%n", streams, streams / raw);
        }
    }

    /** Writes the events as ingest stores them; returns the two sums the peer must reach. */
    private static long[] prefill(String service, String bootstrap, long events) {
        Random random = new Random(20261128);
        Instant now = Instant.now();
        long[] truth = new long[2];
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicLong failed = new AtomicLong();
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < events; i++) {
                int project = (int) (i % PROJECTS);
                int feature = random.nextInt(FEATURES);
                int user = random.nextInt(USERS);
                Instant at = now.minusSeconds(random.nextInt(27 * 24 * 3600));
                String specific;
                if (service.equals("friction")) {
                    boolean failure = random.nextInt(10) < 3;
                    truth[0]++;
                    truth[1] += failure ? 1 : 0;
                    specific = failure ? "\"type\":\"feature_failed\",\"errorCode\":\"e" + random.nextInt(5) + "\","
                            : "\"type\":\"feature_used\",";
                } else {
                    int rating = 1 + random.nextInt(5);
                    truth[0]++;
                    truth[1] += rating;
                    specific = "\"type\":\"feedback_given\",\"rating\":" + rating + ",";
                }
                String json = "{\"schemaVersion\":\"1.0\",\"eventId\":\"b-" + i + "\"," + specific
                        + "\"projectId\":\"proj-" + project + "\",\"userId\":\"user-" + user + "\",\"feature\":\"feature-"
                        + feature + "\",\"occurredAt\":\"" + at + "\",\"receivedAt\":\"" + now
                        + "\",\"clockCorrected\":false,\"properties\":{}}";
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), Topics.eventKey("proj-" + project, "user-" + user),
                        json.getBytes(StandardCharsets.UTF_8)), (metadata, e) -> {
                            if (e != null && failed.incrementAndGet() == 1) {
                                System.out.println("First failed write: " + e);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + events + " events could not be written");
        }
        return truth;
    }

    /** Starts the packaged service on the filled topic and times it until every event is counted. */
    private static double serviceRate(LocalStack stack, String service, long events, String heap) throws Exception {
        ServiceProcess process = stack.anotherInstance(service, service + "-bench", AdoptionBenchmark.freePort(), Map.of(
                "NORTHSTAR_STORE_KIND", "memory", "NORTHSTAR_JAVA_OPTS",
                ("-Xmx" + heap + " -XX:+UseParallelGC " + System.getProperty("bench.service.jvm", "")).strip()));
        HttpClient http = HttpClient.newHttpClient();
        process.start();
        try {
            process.awaitStarted(Duration.ofSeconds(120));
            long ready = System.nanoTime();
            long firstCounted = 0;
            double counted = 0;
            while (counted < events) {
                if ((System.nanoTime() - ready) / 1e9 > 1800) {
                    throw new IllegalStateException(service + " counted " + counted + " of " + events + " in 30 minutes");
                }
                Thread.sleep(500);
                counted = AdoptionBenchmark.metric(http, process.uri("/q/metrics"), "northstar_events_counted_total");
                if (firstCounted == 0 && counted > 0) {
                    firstCounted = System.nanoTime();
                }
            }
            long done = System.nanoTime();
            double cpuSeconds = ProcessHandle.of(process.pid()).flatMap(p -> p.info().totalCpuDuration())
                    .map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
            long rss = AdoptionBenchmark.rssBytes(process.pid());
            double seconds = (done - Math.min(ready, firstCounted == 0 ? ready : firstCounted)) / 1e9;
            System.out.printf(Locale.ROOT, "%s service: %,d events counted in %.1f s after it started; CPU %.1f s "
                    + "since start; RSS %,d MB%n", service, events, seconds, cpuSeconds, rss >> 20);
            System.out.println(service + " service, CPU by thread: " + AdoptionBenchmark.busiestThreads(process.pid(), 8));
            return events / seconds;
        } finally {
            process.close();
        }
    }

    /** Two longs per (project, feature): attempts and failures, or ratings and their sum. */
    private static final Serde<long[]> PAIR = Serdes.serdeFrom(
            (topic, pair) -> pair == null ? null : ByteBuffer.allocate(16).putLong(pair[0]).putLong(pair[1]).array(),
            (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                return new long[]{buffer.getLong(), buffer.getLong()};
            });

    /** The idiomatic Kafka Streams aggregation per (project, feature); timed until its sums are the generator's. */
    private static double kafkaStreams(String service, String bootstrap, long events, long[] truth, Path stateDir)
            throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-streams-" + service + "-" + System.nanoTime());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put("consumer.auto.offset.reset", "earliest");

        boolean friction = service.equals("friction");
        Map<String, long[]> sums = new ConcurrentHashMap<>();
        AtomicLong consumed = new AtomicLong();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.EVENTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .peek((k, v) -> consumed.incrementAndGet())
                .mapValues(AdoptionBenchmark::parse)
                .filter((k, e) -> e != null && (friction
                        ? e.path("type").asText().equals("feature_used") || e.path("type").asText().equals("feature_failed")
                        : e.path("type").asText().equals("feedback_given")))
                .map((k, e) -> KeyValue.pair(e.path("projectId").asText() + "/" + e.path("feature").asText(), friction
                        ? new long[]{1, e.path("type").asText().equals("feature_failed") ? 1 : 0}
                        : new long[]{1, e.path("rating").asLong()}))
                .groupByKey(Grouped.with(Serdes.String(), PAIR))
                .reduce((sum, one) -> new long[]{sum[0] + one[0], sum[1] + one[1]}, Materialized.with(Serdes.String(), PAIR))
                .toStream()
                .foreach((key, sum) -> sums.put(key, sum));

        long started = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            long[] total = new long[2];
            while (consumed.get() < events || total[0] != truth[0] || total[1] != truth[1]) {
                Thread.sleep(500);
                total = sums.values().stream().reduce(new long[2], (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
                if ((System.nanoTime() - started) / 1e9 > 1800) {
                    throw new IllegalStateException("Kafka Streams did not finish within 30 minutes: consumed "
                            + consumed.get() + ", sums " + total[0] + "/" + total[1]);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "Kafka Streams peer: %,d events, sums %,d and %,d reached in %.1f s%n",
                    events, total[0], total[1], seconds);
            return events / seconds;
        }
    }
}
