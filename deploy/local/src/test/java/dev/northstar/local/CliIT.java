package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.topic.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code northstar} CLI as an operator runs it (the packaged jar, a child process) against the real
 * ingest: a project created, listed and its keys rotated; an NDJSON history with malformed and invalid
 * lines imported, the import killed -9 half-way and run again: it goes on where it stopped, names each
 * bad line by number, and adoption's numbers equal the oracle of the valid lines (nothing lost, nothing
 * counted twice); the topics verified against the catalogue.
 */
class CliIT {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        // The write key's rate limit lifted: the import goes as fast as ingest takes it.
        stack = TestStacks.start(List.of("ingest", "adoption"), Map.of(
                "NORTHSTAR_INGEST_RATE_LIMIT_EVENTS_PER_SECOND", "1000000", "NORTHSTAR_INGEST_RATE_LIMIT_BURST", "1000000"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** The outcome of one run of the CLI. */
    private record Run(int status, String out, String err) {
    }

    private static ProcessBuilder cli(String... args) {
        Path jar = TestStacks.repoRoot().resolve("clients/cli/target/northstar-cli.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().put("NORTHSTAR_INGEST_URL", stack.service("ingest").uri("/").toString());
        builder.environment().put("NORTHSTAR_ADMIN_TOKEN", TestStacks.ADMIN_TOKEN);
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        return builder;
    }

    private static Run run(String... args) throws Exception {
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        Process process = cli(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("the CLI ends").isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void projectsAreCreatedListedAndRotatedAndTheTopicsVerified() throws Exception {
        Run created = run("projects", "create", "cli-made", "--name", "Made by the CLI");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.out()).contains("project   cli-made").contains("write key nsw_").contains("read key  nsr_");
        Run again = run("projects", "create", "cli-made");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("projectId: project cli-made already exists");
        Run list = run("projects", "list");
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains("cli-made").contains("Made by the CLI").doesNotContain("nsw_");
        Run rotated = run("projects", "rotate", "cli-made");
        assertThat(rotated.status()).isZero();
        assertThat(rotated.out()).contains("write key nsw_").isNotEqualTo(created.out());
        Run noToken = run("projects", "list", "--admin-token", "wrong");
        assertThat(noToken.status()).isEqualTo(1);
        assertThat(noToken.err()).contains("admin token");

        Run verified = run("topics", "verify");
        assertThat(verified.status()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("topics: all " + Topics.ALL.size() + " topics are as declared");
    }

    @Test
    void anImportKilledHalfWayGoesOnWhereItStoppedAndCountsEveryValidLineOnce() throws Exception {
        var created = run("projects", "create", "cli-import");
        assertThat(created.status()).as(created.err()).isZero();
        String writeKey = created.out().lines().filter(l -> l.startsWith("write key ")).findFirst().orElseThrow()
                .substring("write key ".length()).trim();

        // 60,000 lines: users u0..u1999 using f0..f4 over the last 20 days; some with their own ids; bad lines
        // at known places.
        int lines = 60_000;
        Random random = new Random(7);
        Map<String, Set<String>> users = new HashMap<>();
        Map<String, Long> uses = new HashMap<>();
        Map<Integer, String> bad = Map.of(
                17, "{\"eventId\": \"x-17\", \"type\": \"feature_used\",",                         // malformed
                20_001, "[1, 2, 3]",                                                                  // not an object
                45_678, "{\"type\":\"feature_used\",\"userId\":\"u1\",\"feature\":\"Not A Slug\",\"occurredAt\":\"2026-11-20T10:00:00Z\"}",
                59_999, "{\"type\":\"feature_used\",\"feature\":\"f1\",\"occurredAt\":\"2026-11-20T10:00:00Z\"}");
        Path file = Files.createTempFile(stack.options().dataDir(), "history", ".ndjson");
        Instant now = Instant.now();
        try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int line = 1; line <= lines; line++) {
                if (bad.containsKey(line)) {
                    writer.write(bad.get(line));
                } else {
                    String user = "u" + random.nextInt(2000);
                    String feature = "f" + random.nextInt(5);
                    users.computeIfAbsent(feature, f -> new HashSet<>()).add(user);
                    uses.merge(feature, 1L, Long::sum);
                    String id = line % 3 == 0 ? "\"eventId\":\"own-" + line + "\"," : "";
                    writer.write("{" + id + "\"type\":\"feature_used\",\"userId\":\"" + user + "\",\"feature\":\""
                            + feature + "\",\"occurredAt\":\"" + now.minusSeconds(random.nextInt(20 * 86_400)) + "\"}");
                }
                writer.write(line % 1000 == 0 ? "\r\n" : "\n");
            }
            writer.write("\n");   // a blank last line
        }

        // The first run is killed -9 once it has saved progress past the first chunk.
        Path state = file.resolveSibling(file.getFileName() + ".northstar-import");
        Process first = cli("events", "import", file.toString(), "--project", "cli-import", "--write-key", writeKey,
                "--batch-size", "50", "--parallel", "1").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(state));
        first.destroyForcibly();
        first.waitFor(30, TimeUnit.SECONDS);
        String saved = Files.readString(state);
        assertThat(saved).contains("\"complete\":false");

        Run second = run("events", "import", file.toString(), "--project", "cli-import", "--write-key", writeKey);
        System.out.println("CliIT: first run saved " + saved + "; second run: " + second.out() + second.err());
        assertThat(second.status()).as("invalid lines make the exit status 1: " + second.err()).isEqualTo(1);
        assertThat(second.err()).contains("resuming after line ");
        assertThat(second.out()).contains("invalid lines (not sent):")
                .contains("line 45678: feature: must match [a-z0-9][a-z0-9._-]{0,63}")
                .contains("line 59999: userId: userId or anonymousId is required");
        if (second.err().contains("resuming after line 0 ")) {
            throw new AssertionError("did not resume: " + second.err());
        }
        // Lines 17 and 20,001 were in the first run's chunk: counted in the saved state, not listed again.
        Run third = run("events", "import", file.toString(), "--project", "cli-import", "--write-key", writeKey);
        assertThat(third.status()).isZero();
        assertThat(third.out()).contains("was imported into cli-import already");

        try {
            awaitOracle(users, uses);
        } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
            // What each slice says, and where adoption's group is on each events partition against its end.
            GeneratedLoad.slices(stack.adminClientSettings(), Topics.FEATURE_ADOPTION, "cli-import/f0")
                    .forEach((key, slices) -> slices.forEach(slice -> System.out.println("CliIT slice " + key + ": " + slice)));
            try (var admin = org.apache.kafka.clients.admin.Admin.create(stack.adminClientSettings())) {
                var committed = admin.listConsumerGroupOffsets("northstar-adoption").partitionsToOffsetAndMetadata().get();
                var ends = admin.listOffsets(committed.keySet().stream().collect(java.util.stream.Collectors.toMap(
                        p -> p, p -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
                committed.forEach((p, o) -> System.out.println("CliIT adoption " + p + ": committed " + o.offset()
                        + ", end " + ends.get(p).offset()));
            }
            throw e;
        }
    }

    private static void awaitOracle(Map<String, Set<String>> users, Map<String, Long> uses) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, List<JsonNode>> adoption =
                    GeneratedLoad.slices(stack.adminClientSettings(), Topics.FEATURE_ADOPTION, "cli-import/");
            for (String feature : uses.keySet()) {
                List<JsonNode> slices = adoption.get("cli-import/" + feature);
                assertThat(slices).as(feature).isNotNull();
                assertThat(GeneratedLoad.sum(slices, "uses")).as("uses of " + feature).isEqualTo(uses.get(feature));
                assertThat(GeneratedLoad.sum(slices, "users", "all")).as("users of " + feature)
                        .isEqualTo(users.get(feature).size());
            }
        });
    }

    /**
     * Dead letters listed, shown and re-driven once only, and only where a re-drive cannot forge: a letter
     * whose record the events topic's readers accept goes back once; a record still broken is refused (it
     * would only be dead-lettered again), and so is a letter a service principal planted aimed at the
     * projects topic (it would replace a project's keys with the admin's rights): nothing is written for them.
     */
    @Test
    void aDeadLetterIsListedShownAndReDrivenOnceOnlyAndAForgedOneIsRefused() throws Exception {
        var created = run("projects", "create", "cli-dl");
        assertThat(created.status()).as(created.err()).isZero();
        String writeKey = created.out().lines().filter(l -> l.startsWith("write key ")).findFirst().orElseThrow()
                .substring("write key ".length()).trim();
        String event = "{\"schemaVersion\":\"1.0\",\"eventId\":\"redriven-cli-dl\",\"type\":\"feature_used\","
                + "\"projectId\":\"cli-dl\",\"userId\":\"u2\",\"feature\":\"export\",\"occurredAt\":\""
                + Instant.now().minusSeconds(60) + "\",\"receivedAt\":\"" + Instant.now() + "\",\"clockCorrected\":false,"
                + "\"properties\":{}}";
        String forged = "{\"type\":\"project_registered\",\"projectId\":\"cli-dl\",\"name\":\"Taken over\","
                + "\"writeKeyHash\":\"0000\",\"readKeyHash\":\"0000\"}";
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of(
                "bootstrap.servers", stack.bootstrapServers()), new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            // A record adoption cannot read, straight onto the events topic (as a broken producer would write it).
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.EVENTS.name(), "cli-dl/u1",
                    "{\"eventId\": \"broken-cli-dl\", ")).get();
            // Letters written straight to the dead-letter topic, as any service principal may: one of a good
            // event that failed in a handler, one aimed at the projects topic.
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.DEAD_LETTER.name(), "cli-dl/u2",
                    letter("adoption", "handler-error: a test", Topics.EVENTS.name(), 900_001, event))).get();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.DEAD_LETTER.name(), "cli-dl",
                    letter("feedback", "handler-error: planted", Topics.PROJECTS.name(), 900_002, forged))).get();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> listed() > 0);
        Run list = run("dead-letters", "list", "--service", "adoption", "--reason", "unparseable", "--since", "PT1H");
        assertThat(list.status()).as(list.err()).isZero();
        String id = list.out().lines().filter(l -> l.contains(Topics.EVENTS.name())).findFirst().orElseThrow().split(" ")[0];
        Run show = run("dead-letters", "show", id);
        assertThat(show.out()).contains("\"key\" : \"cli-dl/u1\"").contains("broken-cli-dl").contains("unparseable");

        Run broken = run("dead-letters", "redrive", "--service", "adoption", "--reason", "unparseable");
        assertThat(broken.status()).as("a record still broken is refused").isEqualTo(1);
        assertThat(broken.out()).contains("refused 1 dead letter(s)").contains(id + " -> " + Topics.EVENTS.name())
                .contains("is not JSON").containsPattern("re-drove 0 dead letter");

        long projectsEnd = end(Topics.PROJECTS.name());
        Run dry = run("dead-letters", "redrive", "--reason", "handler-error", "--dry-run");
        assertThat(dry.out()).containsPattern("would re-drive \\S+ -> " + Topics.EVENTS.name() + "/0/900001")
                .contains("is not re-drivable");
        Run redrive = run("dead-letters", "redrive", "--reason", "handler-error");
        assertThat(redrive.status()).as("refusals make the status 1: " + redrive.out()).isEqualTo(1);
        assertThat(redrive.out()).containsPattern("re-drive \\S+ -> " + Topics.EVENTS.name() + "/0/900001")
                .containsPattern("re-drove 1 dead letter").contains("refused 1 dead letter(s)")
                .contains(Topics.PROJECTS.name() + "/0/900002: its source topic " + Topics.PROJECTS.name()
                        + " is not re-drivable");
        assertThat(end(Topics.PROJECTS.name())).as("nothing written to the projects topic").isEqualTo(projectsEnd);
        Run again = run("dead-letters", "redrive", "--reason", "handler-error", "--since", "PT1H");
        assertThat(again.out()).contains("re-drove 0 dead letter").contains("1 skipped").contains("refused 1");
        // The re-driven event is counted; the project's keys still work.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(adoptionUsers("cli-dl", "export")).isEqualTo(1));
        var client = new NorthstarClient(stack.service("ingest").uri("/"), stack.service("ingest").uri("/"));
        assertThat(client.postEvents(writeKey, "{\"events\":[{\"eventId\":\"after\",\"type\":\"feature_used\","
                + "\"userId\":\"u3\",\"feature\":\"export\",\"occurredAt\":\"" + Instant.now() + "\"}]}").status())
                .isEqualTo(202);
        assertThat(run("dead-letters", "redrive").status()).as("a re-drive must choose").isEqualTo(2);
    }

    private static String letter(String service, String reason, String sourceTopic, long offset, String payload)
            throws IOException {
        return dev.northstar.model.json.NorthstarJson.mapper().writeValueAsString(new dev.northstar.model.snapshot.DeadLetter(
                reason, service, sourceTopic, 0, offset, payload, false, Instant.now()));
    }

    private static long adoptionUsers(String project, String feature) throws IOException {
        List<JsonNode> slices = GeneratedLoad.slices(stack.adminClientSettings(), Topics.FEATURE_ADOPTION, project + "/")
                .get(project + "/" + feature);
        return slices == null ? 0 : GeneratedLoad.sum(slices, "users", "all");
    }

    private static long end(String topic) {
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.<String, Object>of(
                "bootstrap.servers", stack.bootstrapServers()), new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        }
    }

    private static long listed() throws Exception {
        return run("dead-letters", "list", "--service", "adoption").out().lines()
                .filter(l -> l.contains(Topics.EVENTS.name())).count();
    }

    @Test
    void aFreshImportListsMalformedLinesByNumberAndGoesOn() throws Exception {
        var created = run("projects", "create", "cli-small");
        String writeKey = created.out().lines().filter(l -> l.startsWith("write key ")).findFirst().orElseThrow()
                .substring("write key ".length()).trim();
        Path file = Files.createTempFile(stack.options().dataDir(), "small", ".ndjson");
        Files.writeString(file, String.join("\n",
                "{\"type\":\"feature_used\",\"userId\":\"a\",\"feature\":\"search\",\"occurredAt\":\"" + Instant.now() + "\"}",
                "{\"eventId\": \"x\", \"type\": ",
                "[1]",
                "{\"type\":\"feature_used\",\"userId\":\"b\",\"feature\":\"search\",\"occurredAt\":\"" + Instant.now() + "\"}"));
        Run run = run("events", "import", file.toString(), "--project", "cli-small", "--write-key", writeKey);
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("4 lines, 2 events sent (2 accepted, 0 refused by ingest), 2 invalid lines")
                .contains("line 2: not JSON").contains("line 3: not a JSON object");
        Run usage = run("events", "import", file.toString(), "--project", "cli-small");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).contains("the write key is required");
    }
}
