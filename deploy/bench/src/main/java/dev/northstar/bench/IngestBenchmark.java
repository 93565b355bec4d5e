package dev.northstar.bench;

import dev.northstar.topics.TopicAdmin;
import dev.northstar.topics.TopicSpec;
import dev.northstar.local.LocalStack;
import dev.northstar.local.NorthstarClient;
import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP ingest against the raw Kafka producer, on the same broker in the same run.
 *
 * <pre>java -cp deploy/bench/target/northstar-bench.jar dev.northstar.bench.IngestBenchmark [seconds-per-rate] [rate,rate,...]</pre>
 *
 * {@code -Dbench.ingest.jvm="..."} replaces the ingest service's JVM options (to compare collectors, say).
 *
 * <ol>
 *   <li>Starts a real broker and the packaged ingest service (rate limit lifted) on free ports.</li>
 *   <li>Raw limit: {@code org.apache.kafka.tools.ProducerPerformance}, acks=all, records of the same
 *       size as one ingested event, on a 6-partition topic.</li>
 *   <li>Ingest: open-loop load of batches of 100 events at each rate (events/s); latency is
 *       measured from the moment a batch was due, so a stalled server cannot hide its queueing
 *       (no coordinated omission). A first run at the lowest rate warms the JIT and is not
 *       reported. Then a closed-loop run finds ingest's maximum.</li>
 * </ol>
 */
public final class IngestBenchmark {

    private static final int BATCH = 100;
    private static final String RAW_TOPIC = "bench.raw-producer";

    private IngestBenchmark() {
    }

    /** Rate limit lifted; {@code -Dbench.ingest.jvm="..."} replaces the service's JVM options. */
    static Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "NORTHSTAR_INGEST_RATE_LIMIT_EVENTS_PER_SECOND", "100000000",
                "NORTHSTAR_INGEST_RATE_LIMIT_BURST", "100000000"));
        String jvm = System.getProperty("bench.ingest.jvm");
        if (jvm != null && !jvm.isBlank()) {
            environment.put("NORTHSTAR_JAVA_OPTS", jvm);
        }
        return environment;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int[] rates = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {5_000, 10_000, 20_000, 30_000};
        Path dataDir = Files.createTempDirectory("northstar-bench-");
        var options = new LocalStack.Options(repoRoot(), dataDir, freePort(), freePort(), Map.of("ingest", freePort()),
                "bench-admin-token", System.getProperty("java.class.path"),
                serviceEnvironment());
        try (LocalStack stack = LocalStack.start(options, System.out::println)) {
            URI ingest = stack.service("ingest").uri("/");
            var client = new NorthstarClient(ingest, ingest);
            String writeKey = client.createProject("bench-admin-token", "bench", "bench").body().get("writeKey").asText();
            String sample = event(0);
            int recordSize = sample.getBytes(StandardCharsets.UTF_8).length + 80; // + what ingest adds
            System.out.printf(Locale.ROOT, "%nMachine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"));

            double raw = rawProducer(stack.bootstrapServers(), recordSize, 1_000_000);
            System.out.printf(Locale.ROOT, "Raw producer (ProducerPerformance, acks=all, %d B records): %,.0f records/s%n",
                    recordSize, raw);

            Result warmUp = openLoop(ingest, writeKey, rates[0], Duration.ofSeconds(seconds));
            System.out.printf(Locale.ROOT, "Warm-up (not reported): %,.0f events/s, p99 %.1f ms%n",
                    warmUp.eventsPerSecond, warmUp.p(99));
            System.out.println();
            System.out.println("| offered events/s | achieved events/s | p50 ms | p99 ms | p99.9 ms | non-202 | vs raw "
                    + "| Kafka ack p99 ms (in ingest) |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
            URI metrics = stack.service("ingest").uri("/q/metrics");
            for (int rate : rates) {
                String before = scrape(metrics);
                Result r = openLoop(ingest, writeKey, rate, Duration.ofSeconds(seconds));
                String after = scrape(metrics);
                double ackP99 = upperBoundOf(sendLatencyBuckets(before), sendLatencyBuckets(after), 0.99);
                System.out.printf(Locale.ROOT, "| %,d | %,.0f | %.1f | %.1f | %.1f | %s%s | %.2f | ≤ %.1f |%n", rate,
                        r.eventsPerSecond, r.p(50), r.p(99), r.p(99.9), r.failures,
                        unavailableCauses(before, after), r.eventsPerSecond / raw, ackP99);
            }
            Result max = closedLoop(ingest, writeKey, 8, Duration.ofSeconds(seconds));
            System.out.printf(Locale.ROOT, "| max (8 connections, closed loop) | %,.0f | %.1f | %.1f | %.1f | %s | %.2f |%n",
                    max.eventsPerSecond, max.p(50), max.p(99), max.p(99.9), max.failures, max.eventsPerSecond / raw);
        }
    }

    private static String scrape(URI metrics) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Sums of the samples of {@code metric}, by the value of {@code label}, from a Prometheus scrape. */
    private static Map<String, Double> byLabel(String scrape, String metric, String label) {
        Map<String, Double> sums = new java.util.TreeMap<>();
        java.util.regex.Pattern value = java.util.regex.Pattern.compile(label + "=\"([^\"]+)\"");
        scrape.lines().filter(l -> l.startsWith(metric + "{")).forEach(line -> {
            var m = value.matcher(line);
            if (m.find()) {
                sums.merge(m.group(1), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        });
        return sums;
    }

    /** Cumulative counts of ingest's {@code northstar_ingest_kafka_send} histogram, by bucket bound in seconds. */
    private static Map<Double, Double> sendLatencyBuckets(String scrape) {
        Map<Double, Double> buckets = new java.util.TreeMap<>();
        byLabel(scrape, "northstar_ingest_kafka_send_seconds_bucket", "le").forEach((bound, count) -> buckets.put(
                bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), count));
        return buckets;
    }

    /** Ingest's own account of its 503s between two scrapes, by cause: "" when there were none. */
    private static String unavailableCauses(String before, String after) {
        Map<String, Double> was = byLabel(before, "northstar_ingest_unavailable_total", "cause");
        StringBuilder out = new StringBuilder();
        byLabel(after, "northstar_ingest_unavailable_total", "cause").forEach((cause, count) -> {
            long n = Math.round(count - was.getOrDefault(cause, 0.0));
            if (n > 0) {
                out.append(out.length() == 0 ? "; ingest's 503s: " : ", ").append(cause).append(' ').append(n);
            }
        });
        return out.toString();
    }

    /** The smallest bucket bound (ms) under which {@code quantile} of the sends between two scrapes fell. */
    private static double upperBoundOf(Map<Double, Double> before, Map<Double, Double> after, double quantile) {
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (total > 0 && count >= quantile * total) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.NaN;
    }

    /** Answers other than 202, by status code or by the client's exception: what went wrong, not only how often. */
    static final class Failures {
        private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();

        void status(int code) {
            count("HTTP " + code);
        }

        void error(Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            count(cause.getClass().getSimpleName());
        }

        private void count(String reason) {
            byReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
        }

        /** "0", or the total with each reason, e.g. "3 (HTTP 503: 2, IOException: 1)". */
        @Override
        public String toString() {
            long total = byReason.values().stream().mapToLong(LongAdder::sum).sum();
            if (total == 0) {
                return "0";
            }
            StringBuilder out = new StringBuilder().append(total).append(" (");
            new java.util.TreeMap<>(byReason).forEach((reason, n) -> out.append(out.charAt(out.length() - 1) == '(' ? "" : ", ")
                    .append(reason).append(": ").append(n.sum()));
            return out.append(')').toString();
        }
    }

    record Result(double eventsPerSecond, long[] latenciesNanos, Failures failures) {
        double p(double percentile) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(percentile / 100 * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1e6;
        }
    }

    private static final AtomicLong IDS = new AtomicLong();

    static String event(long id) {
        return "{\"eventId\":\"b-" + id + "\",\"type\":\"feature_used\",\"userId\":\"user-" + (id % 5000)
                + "\",\"feature\":\"feature-" + (id % 30) + "\",\"occurredAt\":\"" + Instant.now()
                + "\",\"properties\":{\"plan\":\"pro\",\"durationMs\":" + (id % 2000) + "}}";
    }

    private static String batch() {
        StringBuilder b = new StringBuilder(BATCH * 200).append("{\"events\":[");
        for (int i = 0; i < BATCH; i++) {
            b.append(i == 0 ? "" : ",").append(event(IDS.incrementAndGet()));
        }
        return b.append("]}").toString();
    }

    private static HttpRequest request(URI ingest, String writeKey) {
        return HttpRequest.newBuilder(ingest.resolve("/v1/events"))
                .header("Authorization", "Bearer " + writeKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch())).build();
    }

    static Result openLoop(URI ingest, String writeKey, int eventsPerSecond, Duration duration)
            throws Exception {
        var executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().executor(executor).build();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) * BATCH / eventsPerSecond;
        long batches = duration.toNanos() / intervalNanos;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        Failures failures = new Failures();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        // Bodies are built before the clock starts: the generator shares the cores with what it measures.
        List<HttpRequest> requests = new ArrayList<>();
        for (long i = 0; i < batches; i++) {
            requests.add(request(ingest, writeKey));
        }
        long start = System.nanoTime();
        for (int i = 0; i < batches; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.add(http.sendAsync(requests.set(i, null), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        if (error != null) {
                            failures.error(error);
                        } else if (response.statusCode() != 202) {
                            failures.status(response.statusCode());
                        } else {
                            latencies.add(System.nanoTime() - due);
                        }
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        executor.shutdown();
        return result(latencies, failures, elapsed);
    }

    static Result closedLoop(URI ingest, String writeKey, int connections, Duration duration)
            throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        Failures failures = new Failures();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        Thread[] threads = new Thread[connections];
        for (int t = 0; t < connections; t++) {
            threads[t] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    try {
                        var response = http.send(request(ingest, writeKey), HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() == 202) {
                            latencies.add(System.nanoTime() - sent);
                        } else {
                            failures.status(response.statusCode());
                        }
                    } catch (IOException e) {
                        failures.error(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return result(latencies, failures, (System.nanoTime() - start) / 1e9);
    }

    private static Result result(ConcurrentLinkedQueue<Long> latencies, Failures failures, double elapsedSeconds) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(sorted.length * (double) BATCH / elapsedSeconds, sorted, failures);
    }

    /** Runs ProducerPerformance in a child JVM and returns its records/s. */
    private static double rawProducer(String bootstrap, int recordSize, int records) throws Exception {
        TopicAdmin.ensure(bootstrap, List.of(new TopicSpec(RAW_TOPIC, Topics.DEFAULT_PARTITIONS, (short) 1,
                Topics.EVENTS.cleanup().configs())));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", RAW_TOPIC, "--num-records", String.valueOf(records), "--record-size",
                String.valueOf(recordSize), "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap,
                "acks=all", "enable.idempotence=true", "linger.ms=5", "batch.size=65536", "compression.type=lz4");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = null;
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.contains("records/sec")) {
                    last = line;
                }
            }
        }
        process.waitFor();
        if (last == null) {
            throw new IllegalStateException("ProducerPerformance printed no result");
        }
        System.out.println("ProducerPerformance: " + last.trim());
        String perSecond = last.substring(last.indexOf("records sent,") + "records sent,".length(),
                last.indexOf("records/sec")).trim();
        return Double.parseDouble(perSecond);
    }

    static Path repoRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("services/ingest")) ? here : here.getParent().getParent();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
