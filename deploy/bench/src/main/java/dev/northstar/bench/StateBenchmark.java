package dev.northstar.bench;

import dev.northstar.local.LocalStack;
import dev.northstar.local.ServiceProcess;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What each signal service holds per actor: one project of {@code actors} actors (each uses one of ten
 * features, goes through one to three steps of a funnel, a fifth rate a feature), counted by the
 * packaged adoption, friction and feedback services (memory store) one after the other; for each,
 * the heap after a full GC with the events counted, minus the same service's heap after a full GC
 * with nothing counted, divided by the actors, and its checkpoint size (json store).
 *
 * <pre>java -cp deploy/bench/target/northstar-bench.jar dev.northstar.bench.StateBenchmark [actors] [heap]</pre>
 */
public final class StateBenchmark {

    private static final int FEATURES = 10;

    private StateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int actors = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String heap = args.length > 1 ? args[1] : "2g";
        Path dataDir = Files.createTempDirectory("northstar-bench-state-");
        var options = new LocalStack.Options(AdoptionBenchmarkSupport.repoRoot(), dataDir, freePort(), freePort(),
                Map.of(), "bench-admin", System.getProperty("java.class.path"), Map.of());
        try (LocalStack stack = LocalStack.start(options, System.out::println)) {
            System.out.printf(Locale.ROOT, "%nMachine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
            Map<String, Double> idle = new java.util.LinkedHashMap<>();
            for (String service : new String[] {"adoption", "friction", "feedback"}) {
                idle.put(service, measure(stack, service, heap, 0, dataDir).heap());
            }
            long events = prefill(stack.bootstrapServers(), actors);
            System.out.printf(Locale.ROOT, "Pre-filled %,d events of %,d actors in one project%n", events, actors);
            System.out.println();
            System.out.println("| service | events/s (counting, one instance) | heap after GC, idle → counted | bytes of heap per actor | checkpoint bytes per actor |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (String service : idle.keySet()) {
                Measured m = measure(stack, service, heap, events, dataDir);
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %,d → %,d MB | %.0f | %.0f |%n", service, m.rate(),
                        (long) (idle.get(service) / 1e6), (long) (m.heap() / 1e6), (m.heap() - idle.get(service)) / actors,
                        (double) m.checkpointBytes() / actors);
            }
        }
    }

    private record Measured(double rate, double heap, long checkpointBytes) {
    }

    /** Starts {@code service}, waits until it counted {@code events}, runs a full GC and reads its heap. */
    private static Measured measure(LocalStack stack, String service, String heap, long events, Path dataDir)
            throws Exception {
        String instance = service + "-bench-" + events;
        Path store = dataDir.resolve("state").resolve(instance); // where the local stack puts an instance's files
        ServiceProcess process = stack.anotherInstance(service, instance, freePort(), Map.of(
                "NORTHSTAR_STORE_KIND", "json", "NORTHSTAR_STORE_SNAPSHOT_INTERVAL", "2s",
                "NORTHSTAR_JAVA_OPTS", "-Xmx" + heap + " -XX:+UseParallelGC"));
        HttpClient http = HttpClient.newHttpClient();
        process.start();
        try {
            process.awaitStarted(Duration.ofSeconds(120));
            long started = System.nanoTime();
            double counted = 0;
            long first = 0;
            while (counted < events) {
                if ((System.nanoTime() - started) / 1e9 > 1800) {
                    throw new IllegalStateException(service + " counted " + counted + " of " + events + " in 30 min");
                }
                Thread.sleep(250);
                counted = metric(http, process, "northstar_events_counted_total");
                if (first == 0 && counted > 0) {
                    first = System.nanoTime();
                }
            }
            double seconds = (System.nanoTime() - (first == 0 ? started : first)) / 1e9;
            Thread.sleep(5_000); // a save or two (json store), then a quiet heap
            new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "GC.run").redirectErrorStream(true).start().waitFor();
            Thread.sleep(1_000);
            double used = metric(http, process, "jvm_memory_used_bytes{area=\"heap\"");
            long checkpoint = 0;
            if (Files.isDirectory(store)) {
                try (var files = Files.walk(store)) {
                    checkpoint = files.filter(f -> f.toString().endsWith(".json")).mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    }).sum();
                }
            }
            return new Measured(events == 0 ? 0 : events / seconds, used, checkpoint);
        } finally {
            process.close();
        }
    }

    private static long prefill(String bootstrap, int actors) {
        Random random = new Random(20261127);
        Instant now = Instant.now();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicLong failed = new AtomicLong();
        long events = 0;
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int a = 0; a < actors; a++) {
                String actor = "user-" + a;
                String key = Topics.eventKey("big", actor);
                Instant at = now.minusSeconds(60 + random.nextInt(20 * 86_400));
                int feature = random.nextInt(FEATURES);
                events += send(producer, key, event(events, "feature_used", actor, ",\"feature\":\"f" + feature + "\"", at),
                        failed);
                int steps = 1 + random.nextInt(3);
                for (int s = 1; s <= steps; s++) {
                    events += send(producer, key, event(events, "funnel_step", actor,
                            ",\"funnel\":\"onboarding\",\"step\":" + s, at.plusSeconds(30L * s)), failed);
                }
                if (random.nextInt(5) == 0) {
                    events += send(producer, key, event(events, "feedback_given", actor, ",\"feature\":\"f" + feature
                            + "\",\"rating\":" + (1 + random.nextInt(5)), at.plusSeconds(200)), failed);
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " events could not be written");
        }
        return events;
    }

    private static int send(KafkaProducer<String, String> producer, String key, String value, AtomicLong failed) {
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), key, value), (m, e) -> {
            if (e != null) {
                failed.incrementAndGet();
            }
        });
        return 1;
    }

    private static String event(long id, String type, String actor, String fields, Instant at) {
        return "{\"schemaVersion\":\"1.1\",\"eventId\":\"s" + id + "\",\"type\":\"" + type + "\",\"projectId\":\"big\","
                + "\"userId\":\"" + actor + "\"" + fields + ",\"occurredAt\":\"" + at + "\",\"receivedAt\":\"" + at + "\"}";
    }

    private static double metric(HttpClient http, ServiceProcess process, String prefix) {
        try {
            String body = http.send(HttpRequest.newBuilder(process.uri("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith(prefix))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The checkout's root, as the adoption benchmark finds it. */
    static final class AdoptionBenchmarkSupport {
        static Path repoRoot() {
            Path here = Path.of("").toAbsolutePath();
            return Files.isDirectory(here.resolve("services/adoption")) ? here : here.getParent().getParent();
        }
    }
}
