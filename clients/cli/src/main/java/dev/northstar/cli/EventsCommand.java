package dev.northstar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.northstar.client.Northstar;
import dev.northstar.client.Rejection;
import dev.northstar.model.json.NorthstarJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@code northstar events import FILE.ndjson}: history into Northstar, one JSON event per line. */
@Command(name = "events", description = "Import events.", subcommands = EventsCommand.Import.class)
final class EventsCommand {

    @Command(name = "import", description = {
            "Send the events of an NDJSON file (one event per line, as POST /v1/events takes them) to ingest.",
            "Each line is validated here first; an invalid line is reported by its number and skipped. Batches go "
                    + "in parallel, 429 and 503 are waited out as ingest asks. Progress is saved next to the file "
                    + "(FILE.northstar-import): run the same command again to go on where it stopped. A line without "
                    + "an eventId gets one made from the project, its line number and its content, so a line sent "
                    + "twice is counted once.",
            "Exit status 0 when every line was taken, 1 when some were invalid or refused (listed by line), "
                    + "3 when ingest could not be reached."})
    static final class Import implements Callable<Integer> {

        /** Lines per chunk: the progress saved is at a chunk's end, once ingest answered for all of it. */
        static final int CHUNK = 20_000;
        /** The longest line sent: ingest takes at most 1 MiB per request. */
        static final int MAX_LINE_BYTES = 1 << 20;
        /** Lines listed per kind of problem in the summary. */
        static final int LISTED = 50;

        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "the NDJSON file")
        Path file;
        @Option(names = "--project", required = true, description = "the project the write key belongs to "
                + "(names the saved progress)")
        String project;
        @Option(names = "--write-key", description = "the project's write key (env NORTHSTAR_WRITE_KEY)")
        String writeKey = System.getenv("NORTHSTAR_WRITE_KEY");
        @Option(names = "--ingest", description = "ingest's base URL (env NORTHSTAR_INGEST_URL; default http://localhost:8081)")
        String ingest = System.getenv().getOrDefault("NORTHSTAR_INGEST_URL", "http://localhost:8081");
        @Option(names = "--parallel", defaultValue = "4", description = "requests in flight (default 4)")
        int parallel;
        @Option(names = "--batch-size", defaultValue = "500", description = "events per request, 1 to 500 (default 500)")
        int batchSize;
        @Option(names = "--restart", description = "ignore saved progress and send the whole file again")
        boolean restart;
        @Option(names = "--give-up-after", defaultValue = "PT10M", description = "how long to retry an unreachable "
                + "ingest before stopping (ISO-8601, default PT10M); progress is kept")
        Duration giveUpAfter;

        private final Map<Long, String> invalid = new TreeMap<>();
        private final Map<Long, String> rejected = new ConcurrentHashMap<>();
        private final Map<String, Long> lineOf = new ConcurrentHashMap<>();
        private final AtomicLong undelivered = new AtomicLong();
        private volatile String undeliveredReason;

        @Override
        public Integer call() throws Exception {
            var err = spec.commandLine().getErr();
            var out = spec.commandLine().getOut();
            if (writeKey == null || writeKey.isBlank()) {
                err.println("northstar: the write key is required: --write-key or NORTHSTAR_WRITE_KEY");
                return NorthstarCli.USAGE;
            }
            if (parallel < 1 || parallel > 32 || batchSize < 1 || batchSize > 500) {
                err.println("northstar: --parallel must be 1 to 32 and --batch-size 1 to 500");
                return NorthstarCli.USAGE;
            }
            if (!Files.isRegularFile(file)) {
                err.println("northstar: no file " + file);
                return NorthstarCli.USAGE;
            }
            long size = Files.size(file);
            var digest = ImportState.sha256();
            ImportState state = restart ? null : ImportState.read(file).filter(s -> s.project().equals(project))
                    .orElse(null);
            if (state != null && !state.matchesPrefixOf(file, digest)) {
                err.printf("%s changed in the part imported before (or its progress is from an older version): "
                        + "importing it from the start (events keep their ids: none is counted twice)%n", file);
                state = null;
                digest = ImportState.sha256();
            }
            if (state != null && state.complete() && size == state.bytes()) {
                out.printf("%s was imported into %s already (%,d lines); --restart sends it again%n", file, project,
                        state.lines());
                return NorthstarCli.OK;
            }
            long startLine = state == null ? 0 : state.lines();
            long startByte = state == null ? 0 : state.bytes();
            long sent = state == null ? 0 : state.sent();
            long invalidBefore = state == null ? 0 : state.invalid();
            long rejectedBefore = state == null ? 0 : state.rejected();
            if (state != null) {
                err.printf("resuming after line %,d (%,d events sent before)%n", startLine, sent);
            }
            List<Northstar> clients = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                clients.add(Northstar.builder(URI.create(ingest), writeKey).batchSize(batchSize)
                        .linger(Duration.ofMillis(20)).queue(Math.max(2 * batchSize, 2_000), dev.northstar.client.Overflow.BLOCK)
                        .retryBudget(giveUpAfter).backoff(Duration.ofMillis(200), Duration.ofSeconds(10))
                        .onRejected(this::rejected).build());
            }
            var progress = new ImportProgress(err, size, System.console() != null);
            long started = System.nanoTime();
            long line = startLine;
            long bytes = startByte;
            long sentHere = 0;
            boolean reachable = true;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                in.skipNBytes(startByte);
                var buffer = new ByteArrayOutputStream(1024);
                while (true) {
                    long read = readLine(in, buffer, MAX_LINE_BYTES, digest);
                    if (read < 0) {
                        break;
                    }
                    line++;
                    bytes += read;
                    if (buffer.size() > MAX_LINE_BYTES) {
                        invalid.put(line, "longer than 1 MiB: not sent (ingest takes at most 1 MiB per request)");
                    } else if (send(clients.get((int) (line % parallel)), line, buffer.toByteArray())) {
                        sentHere++;
                    }
                    if (line % CHUNK == 0) {
                        reachable = settle(clients);
                        if (!reachable) {
                            break;
                        }
                        new ImportState(project, size, line, bytes, sent + sentHere, invalidBefore + invalid.size(),
                                rejectedBefore + rejected.size(), false, ImportState.hex(digest)).write(file);
                    }
                    progress.update(bytes, startByte, sentHere, false);
                }
                if (reachable) {
                    reachable = settle(clients);
                }
            } finally {
                clients.forEach(c -> c.close(Duration.ofSeconds(5)));
            }
            progress.update(bytes, startByte, sentHere, true);
            progress.done();
            double seconds = (System.nanoTime() - started) / 1e9;
            long accepted = clients.stream().mapToLong(c -> c.stats().accepted()).sum();
            if (!reachable) {
                err.printf("northstar: ingest at %s did not take the events (%s); progress is saved: run the same "
                        + "command again to go on%n", ingest, undeliveredReason);
                return NorthstarCli.UNREACHABLE;
            }
            new ImportState(project, size, line, bytes, sent + sentHere, invalidBefore + invalid.size(),
                    rejectedBefore + rejected.size(), true, ImportState.hex(digest)).write(file);
            out.printf("imported %s into %s: %,d lines, %,d events sent (%,d accepted, %,d refused by ingest), "
                            + "%,d invalid lines, in %.1f s (%,.0f events/s)%n", file, project, line - startLine, sentHere,
                    accepted, rejected.size(), invalid.size(), seconds, sentHere / Math.max(seconds, 1e-9));
            list(out, "invalid lines (not sent)", invalid);
            list(out, "refused by ingest", new TreeMap<>(rejected));
            return invalid.isEmpty() && rejected.isEmpty() ? NorthstarCli.OK : NorthstarCli.REFUSED;
        }

        /** Validates and enqueues one line; false when it is invalid (then listed) or blank. */
        private boolean send(Northstar client, long line, byte[] raw) {
            if (isBlank(raw)) {
                return false;
            }
            JsonNode node;
            try {
                node = NorthstarJson.mapper().readTree(raw);
            } catch (JsonProcessingException e) {
                invalid.put(line, "not JSON: " + NorthstarJson.describe(e));
                return false;
            } catch (IOException e) {
                invalid.put(line, "not JSON: " + e.getMessage());
                return false;
            }
            if (!(node instanceof ObjectNode event)) {
                invalid.put(line, "not a JSON object");
                return false;
            }
            if (!event.has("eventId")) {
                event.put("eventId", "l" + line + "-" + digest(raw));
            }
            String eventId = event.path("eventId").asText();
            lineOf.put(eventId, line);
            try {
                client.send(event);
                return true;
            } catch (IllegalArgumentException e) {
                lineOf.remove(eventId);
                invalid.put(line, e.getMessage());
                return false;
            }
        }

        private void rejected(Rejection rejection) {
            if (rejection.delivered()) {
                Long line = lineOf.get(rejection.eventId());
                rejected.put(line == null ? -1 : line, rejection.error());
            } else {
                undelivered.incrementAndGet();
                undeliveredReason = rejection.error();
            }
        }

        /** Waits until ingest answered for everything sent; false when some could not be delivered. */
        private boolean settle(List<Northstar> clients) {
            for (Northstar client : clients) {
                if (!client.flush(giveUpAfter.plusMinutes(1))) {
                    undeliveredReason = "no answer within " + giveUpAfter.toMinutes() + " min";
                    return false;
                }
            }
            lineOf.clear();
            return undelivered.get() == 0;
        }

        private String digest(byte[] raw) {
            try {
                var sha = MessageDigest.getInstance("SHA-256");
                sha.update(project.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
                sha.update(raw);
                return HexFormat.of().formatHex(sha.digest(), 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void list(java.io.PrintWriter out, String title, Map<Long, String> lines) {
            if (lines.isEmpty()) {
                return;
            }
            out.println(title + ":");
            lines.entrySet().stream().limit(LISTED).forEach(e -> out.println("  line " + e.getKey() + ": " + e.getValue()));
            if (lines.size() > LISTED) {
                out.println("  ... and " + (lines.size() - LISTED) + " more");
            }
        }

        private static boolean isBlank(byte[] raw) {
            for (byte b : raw) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        /**
         * Reads one line into {@code buffer} (without its end), every byte consumed into {@code digest}; the
         * bytes consumed, -1 at the end of the file. A line longer than {@code limit} is consumed whole but
         * only {@code limit + 1} of its bytes are kept: the buffer holds more than {@code limit} bytes exactly
         * when the line is too long.
         */
        static long readLine(InputStream in, ByteArrayOutputStream buffer, int limit, java.security.MessageDigest digest)
                throws IOException {
            buffer.reset();
            // The line's bytes go into the digest in file order: the kept ones at once, the rest as they come.
            var kept = new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), digest);
            boolean overflowed = false;
            long consumed = 0;
            int b;
            while ((b = in.read()) >= 0) {
                consumed++;
                if (b == '\n') {
                    if (!overflowed) {
                        buffer.writeTo(kept);
                    }
                    digest.update((byte) b);
                    return consumed;
                }
                if (overflowed) {
                    digest.update((byte) b);
                } else {
                    buffer.write(b);
                    if (buffer.size() > limit) {
                        buffer.writeTo(kept);
                        overflowed = true;
                    }
                }
            }
            if (consumed == 0) {
                return -1;
            }
            if (!overflowed) {
                buffer.writeTo(kept);
            }
            return consumed;
        }
    }
}
