package dev.northstar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.local.LocalStack;
import dev.northstar.local.ServiceProcess;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumption throughput of the adoption service on a pre-filled events topic, against the raw
 * consumer and an idiomatic Kafka Streams implementation of the same distinct-user count, on the
 * same broker in the same run.
 *
 * <pre>java -cp deploy/bench/target/northstar-bench.jar dev.northstar.bench.AdoptionBenchmark [events] [adoption-heap]</pre>
 *
 * {@code -Dbench.adoption.jvm="..."} adds JVM options to the adoption service (a profiler, say).
 *
 * Shape (as in MACHINE-NOTES): 20 projects × 30 features × 200,000 users, uniform; 6 partitions.
 */
public final class AdoptionBenchmark {

    private static final int PROJECTS = 20;
    private static final int FEATURES = 30;
    private static final int USERS = 200_000;

    private AdoptionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        String heap = args.length > 1 ? args[1] : "3g";
        Path dataDir = Files.createTempDirectory("northstar-bench-adoption-");
        var options = new LocalStack.Options(repoRoot(), dataDir, freePort(), freePort(), Map.of(), "bench-admin",
                System.getProperty("java.class.path"), Map.of());
        try (LocalStack stack = LocalStack.start(options, System.out::println)) {
            String bootstrap = stack.bootstrapServers();
            System.out.printf(Locale.ROOT, "%nMachine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));

            BitSet[] truth = new BitSet[PROJECTS * FEATURES];
            long started = System.nanoTime();
            prefill(bootstrap, events, truth);
            long triples = 0;
            for (BitSet users : truth) {
                triples += users.cardinality();
            }
            System.out.printf(Locale.ROOT, "Pre-filled %,d events (%,d distinct project/feature/user triples) in %.1f s%n",
                    events, triples, (System.nanoTime() - started) / 1e9);

            double raw = consumerPerformance(bootstrap, events);
            System.out.printf(Locale.ROOT, "Raw consumer (ConsumerPerformance): %,.0f records/s%n", raw);

            double adoption = adoptionService(stack, events, heap, triples);
            if (!Boolean.parseBoolean(System.getProperty("bench.adoption.peer", "true"))) {
                return; // profiling the service alone: no peer, no ratios
            }
            double streams = kafkaStreams(bootstrap, events, triples, dataDir.resolve("streams"));

            System.out.println();
            System.out.println("| consumer | records/s | vs raw | vs Kafka Streams |");
            System.out.println("|---|---:|---:|---:|");
            System.out.printf(Locale.ROOT, "| raw (ConsumerPerformance) | %,.0f | 1.00 | %.1f |%n", raw, raw / streams);
            System.out.printf(Locale.ROOT, "| adoption service | %,.0f | %.2f | %.1f |%n", adoption, adoption / raw,
                    adoption / streams);
            System.out.printf(Locale.ROOT, "| Kafka Streams peer | %,.0f | %.2f | 1.0 |%n", streams, streams / raw);
        }
    }

    /** Writes the events as ingest stores them, keyed by project; records the truth per (project, feature). */
    private static void prefill(String bootstrap, long events, BitSet[] truth) {
        for (int i = 0; i < truth.length; i++) {
            truth[i] = new BitSet(USERS);
        }
        Random random = new Random(20261124);
        Instant now = Instant.now();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicLong failed = new AtomicLong();
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < events; i++) {
                int project = (int) (i % PROJECTS);
                int feature = random.nextInt(FEATURES);
                int user = random.nextInt(USERS);
                truth[project * FEATURES + feature].set(user);
                Instant at = now.minusSeconds(random.nextInt(27 * 24 * 3600));
                String json = "{\"schemaVersion\":\"1.0\",\"eventId\":\"b-" + i + "\",\"type\":\"feature_used\","
                        + "\"projectId\":\"proj-" + project + "\",\"userId\":\"user-" + user + "\",\"feature\":\"feature-"
                        + feature + "\",\"occurredAt\":\"" + at + "\",\"receivedAt\":\"" + now
                        + "\",\"clockCorrected\":false,\"properties\":{}}";
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), Topics.eventKey("proj-" + project, "user-" + user),
                        json.getBytes(StandardCharsets.UTF_8)), (metadata, e) -> {
                            if (e != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + events + " events could not be written; "
                    + "the numbers would not be comparable (is the machine overloaded?)");
        }
    }

    static double consumerPerformance(String bootstrap, long events) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server", bootstrap, "--topic", Topics.EVENTS.name(), "--messages", String.valueOf(events),
                "--group", "bench-raw-" + System.nanoTime(), "--timeout", "60000");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = null;
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.matches("^\\d{4}-.*")) {
                    last = line;
                }
            }
        }
        process.waitFor();
        if (last == null) {
            throw new IllegalStateException("ConsumerPerformance printed no result");
        }
        System.out.println("ConsumerPerformance: " + last);
        // start.time, end.time, MB, MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
        String[] columns = last.split(",\\s*");
        return Double.parseDouble(columns[9]);
    }

    /** Starts the packaged adoption service on the filled topic and times it until every event is counted. */
    private static double adoptionService(LocalStack stack, long events, String heap, long triples) throws Exception {
        // The benchmark measures counting: state stays in memory (no snapshot files).
        ServiceProcess adoption = stack.anotherInstance("adoption", "adoption-bench", freePort(), Map.of(
                "NORTHSTAR_STORE_KIND", "memory", "NORTHSTAR_JAVA_OPTS",
                ("-Xmx" + heap + " -XX:+UseParallelGC " + System.getProperty("bench.adoption.jvm", "")).strip()));
        HttpClient http = HttpClient.newHttpClient();
        long started = System.nanoTime();
        adoption.start();
        try {
            // Started, not ready: the service is ready only once it has counted what was on the topic.
            adoption.awaitStarted(Duration.ofSeconds(120));
            long ready = System.nanoTime();
            long firstCounted = 0;
            double counted = 0;
            while (counted < events) {
                if ((System.nanoTime() - ready) / 1e9 > 1800) {
                    throw new IllegalStateException("adoption counted " + counted + " of " + events
                            + " events in 30 minutes");
                }
                Thread.sleep(500);
                counted = metric(http, adoption.uri("/q/metrics"), "northstar_events_counted_total");
                if (firstCounted == 0 && counted > 0) {
                    firstCounted = System.nanoTime();
                }
            }
            long done = System.nanoTime();
            double cpuSeconds = ProcessHandle.of(adoption.pid()).flatMap(p -> p.info().totalCpuDuration())
                    .map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
            long rss = rssBytes(adoption.pid());
            double heapUsed = metricSum(http, adoption.uri("/q/metrics"), "jvm_memory_used_bytes{area=\"heap\"");
            double seconds = (done - Math.min(ready, firstCounted == 0 ? ready : firstCounted)) / 1e9;
            System.out.printf(Locale.ROOT, "Adoption service: %,d events counted in %.1f s after it started "
                            + "(process start to started %.1f s); CPU %.1f s since start (%.2f cores while counting, start-up "
                            + "included); RSS %,d MB, heap used %,d MB; %.0f bytes of RSS per triple%n",
                    events, seconds, (ready - started) / 1e9, cpuSeconds, cpuSeconds / seconds, rss >> 20,
                    (long) heapUsed >> 20, (double) rss / triples);
            System.out.println("Adoption service, CPU by thread: " + busiestThreads(adoption.pid(), 8));
            return events / seconds;
        } finally {
            adoption.close();
        }
    }

    /** The idiomatic Kafka Streams count of distinct users per (project, feature); timed until its counts are complete. */
    private static double kafkaStreams(String bootstrap, long events, long triples, Path stateDir) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-streams-" + System.nanoTime());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put("consumer.auto.offset.reset", "earliest");

        Map<String, Long> counts = new ConcurrentHashMap<>();
        AtomicLong consumed = new AtomicLong();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.EVENTS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .peek((k, v) -> consumed.incrementAndGet())
                .mapValues(AdoptionBenchmark::parse)
                .filter((k, e) -> e != null && "feature_used".equals(e.path("type").asText()))
                .map((k, e) -> KeyValue.pair(e.path("projectId").asText() + "/" + e.path("feature").asText() + "/"
                        + e.path("userId").asText(), ""))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .reduce((first, again) -> first)
                .groupBy((triple, v) -> KeyValue.pair(triple.substring(0, triple.lastIndexOf('/')), triple),
                        Grouped.with(Serdes.String(), Serdes.String()))
                .count()
                .toStream()
                .foreach((projectFeature, count) -> counts.put(projectFeature, count));

        long started = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            long total = 0;
            while (consumed.get() < events || total < triples) {
                Thread.sleep(500);
                total = counts.values().stream().mapToLong(Long::longValue).sum();
                if ((System.nanoTime() - started) / 1e9 > 1800) {
                    throw new IllegalStateException("Kafka Streams did not finish within 30 minutes: consumed "
                            + consumed.get() + ", counted " + total + " of " + triples);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "Kafka Streams peer: %,d events, %,d distinct triples counted in %.1f s%n",
                    events, total, seconds);
            return events / seconds;
        }
    }

    static JsonNode parse(byte[] value) {
        try {
            return NorthstarJson.mapper().readTree(value);
        } catch (IOException e) {
            return null;
        }
    }

    static double metric(HttpClient http, URI uri, String name) {
        return metricSum(http, uri, name);
    }

    static double metricSum(HttpClient http, URI uri, String prefix) {
        try {
            String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith(prefix))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The threads of {@code pid} that used the most CPU (user + system), from /proc. */
    static String busiestThreads(long pid, int limit) throws IOException {
        Map<String, Long> ticks = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat = Files.readString(task.resolve("stat"));
                // pid (comm) state ... field 14 utime, 15 stime; comm may hold spaces, so split after ')'.
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
            }
        }
        return ticks.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue() / 100.0))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    static Path repoRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("services/adoption")) ? here : here.getParent().getParent();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
