package dev.northstar.bench;

import dev.northstar.local.LocalStack;
import dev.northstar.local.NorthstarClient;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code northstar events import} of a million events against ingest's closed-loop maximum, on the same
 * broker and ingest in the same run:
 * <pre>
 * mvn -q -DskipTests package
 * java -cp deploy/bench/target/northstar-bench.jar dev.northstar.bench.ImportBenchmark 1000000 20
 * </pre>
 * Arguments: events to import (default 1,000,000) and the seconds of the closed loop (default 20). The
 * file is written before either is measured; the import runs the packaged CLI
 * ({@code clients/cli/target/northstar-cli.jar}) as a child process with its defaults (4 requests in
 * flight, 500 events each) and is timed from start to exit, validation and the final flush included.
 */
public final class ImportBenchmark {

    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path root = IngestBenchmark.repoRoot();
        Path cli = root.resolve("clients/cli/target/northstar-cli.jar");
        if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException(cli + " is missing: mvn -q -DskipTests package first");
        }
        Path dataDir = Files.createTempDirectory("northstar-import-bench-");
        Path file = dataDir.resolve("history.ndjson");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < events; i++) {
                out.write(IngestBenchmark.event(10_000_000_000L + i).replace("\"eventId\":\"b-", "\"eventId\":\"imp-"));
                out.write('\n');
            }
        }
        System.out.printf(Locale.ROOT, "%,d events, %,d bytes in %s%n", events, Files.size(file), file);
        var options = new LocalStack.Options(root, dataDir, IngestBenchmark.freePort(), IngestBenchmark.freePort(),
                Map.of("ingest", IngestBenchmark.freePort()), "bench-admin-token", System.getProperty("java.class.path"),
                IngestBenchmark.serviceEnvironment());
        try (LocalStack stack = LocalStack.start(options, System.out::println)) {
            var ingest = stack.service("ingest").uri("/");
            var client = new NorthstarClient(ingest, ingest);
            String writeKey = client.createProject("bench-admin-token", "bench", "bench").body().get("writeKey").asText();
            System.out.printf(Locale.ROOT, "%nMachine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"));

            var warm = IngestBenchmark.closedLoop(ingest, writeKey, 8, Duration.ofSeconds(Math.max(5, seconds / 4)));
            System.out.printf(Locale.ROOT, "Warm-up (not reported): %,.0f events/s%n", warm.eventsPerSecond());
            var max = IngestBenchmark.closedLoop(ingest, writeKey, 8, Duration.ofSeconds(seconds));
            System.out.printf(Locale.ROOT, "Ingest closed loop (8 connections, batches of 100): %,.0f events/s, p99 %.1f ms, "
                    + "non-202: %s%n", max.eventsPerSecond(), max.p(99), max.failures());

            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", cli.toString(), "events", "import", file.toString(), "--project", "bench",
                    "--write-key", writeKey, "--ingest", ingest.toString());
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("import.log").toFile()).start();
            int status = process.waitFor();
            double elapsed = (System.nanoTime() - start) / 1e9;
            String log = Files.readString(dataDir.resolve("import.log"));
            String summary = log.lines().filter(l -> l.startsWith("imported ")).findFirst().orElse(log);
            System.out.println("CLI: " + summary);
            if (status != 0) {
                throw new IllegalStateException("the import exited with " + status + ":\n" + log);
            }
            double rate = events / elapsed;
            System.out.printf(Locale.ROOT, "%n| | events/s | vs ingest's closed-loop maximum |%n|---|---:|---:|%n");
            System.out.printf(Locale.ROOT, "| ingest, closed loop (8 connections) | %,.0f | 1.00 |%n", max.eventsPerSecond());
            System.out.printf(Locale.ROOT, "| `northstar events import` (%,d events, wall clock incl. JVM start) | %,.0f | **%.2f** |%n",
                    events, rate, rate / max.eventsPerSecond());
        }
    }
}
