package dev.northstar.local;

import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;
import dev.northstar.topics.KafkaAccess;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The packaged services on a broker that lets no one in without a principal and an ACL (SASL
 * SCRAM-SHA-512, the StandardAuthorizer, {@code allow.everyone.if.no.acl.found=false}), each
 * connecting as its own principal with the least rights ({@link KafkaAccess}): the whole flow works
 * and its numbers equal the oracle, while the broker refuses each role one thing it does not need,
 * refuses a client without credentials, and a service with a wrong password is not ready and says why.
 * Ingest pseudonymizes actor ids here too (NORTHSTAR_PSEUDONYMIZE_ACTORS): the same numbers, and no
 * raw id in the log.
 */
class KafkaAclIT {

    @Test
    void everyServiceWorksAsItsOwnPrincipalAndIsRefusedWhatItDoesNotNeed() throws Exception {
        // With pseudonymous actor ids as well: the numbers are the same, the log holds no raw id.
        try (LocalStack stack = TestStacks.startSecured(TestStacks.all(), Map.of("NORTHSTAR_PSEUDONYMIZE_ACTORS", "true",
                "NORTHSTAR_PSEUDONYM_KEY", "kafka-acl-it-pseudonym-key-0123456789abcdef"))) {
            var client = new NorthstarClient(URI.create("http://localhost:" + stack.service("ingest").port()),
                    URI.create("http://localhost:" + stack.service("insights").port()));
            String id = "secured";
            var project = client.createProject(TestStacks.ADMIN_TOKEN, id, id);
            assertThat(project.status()).as(project.text()).isEqualTo(201);
            var events = GeneratedLoad.generate(7, id, 1_500);
            var oracle = GeneratedLoad.Oracle.of(events);
            GeneratedLoad.publish(client, List.of(id), Map.of(id, project.body().get("writeKey").asText()),
                    Map.of(id, events), new Random(3), 0);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    GeneratedLoad.assertExact(stack.adminClientSettings(), id, oracle));
            long[] records = {0};
            GeneratedLoad.readWhole(stack.adminClientSettings(), Topics.EVENTS, record -> {
                records[0]++;
                var event = dev.northstar.model.json.NorthstarJson.mapper().readTree(record.value());
                assertThat(event.path("userId").asText()).as("a stored userId").startsWith("ps_");
            });
            assertThat(records[0]).isGreaterThanOrEqualTo(events.size());
            // And insights serves them, having read the snapshots and the project as its own principal.
            String readKey = project.body().get("readKey").asText();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var features = client.get("/v1/projects/" + id + "/features", readKey);
                assertThat(features.status()).as(features.text()).isEqualTo(200);
                assertThat(features.text()).contains("\"f0\"");
            });

            // Per role, one thing the broker refuses: what a compromised service could otherwise do.
            refusedWrite(stack, KafkaAccess.Role.INGEST, Topics.FEATURE_INSIGHTS);   // forge recommendations
            refusedWrite(stack, KafkaAccess.Role.ADOPTION, Topics.PROJECTS);         // forge a project registration
            refusedWrite(stack, KafkaAccess.Role.FEEDBACK, Topics.EVENTS);           // events ingest never validated
            refusedWrite(stack, KafkaAccess.Role.INSIGHTS, Topics.EVENTS);
            refusedRead(stack, KafkaAccess.Role.FRICTION, Topics.PROJECTS);          // read the keys' hashes
            // Any service principal may write dead letters. One planted by a stolen feedback principal, aimed at
            // the projects topic (a registration that would replace the project's keys), is refused by the
            // re-drive, which writes with the admin's rights: nothing is written, the project's keys still work.
            String planted = dev.northstar.model.json.NorthstarJson.mapper().writeValueAsString(
                    new dev.northstar.model.snapshot.DeadLetter("handler-error: planted", "feedback", Topics.PROJECTS.name(),
                            0, 424_242, "{\"type\":\"project_registered\",\"projectId\":\"" + id
                            + "\",\"name\":\"Taken over\"}", false, java.time.Instant.now()));
            send(stack.clientSettings(KafkaAccess.Role.FEEDBACK), Topics.DEAD_LETTER, id, planted);
            var redrive = cli(stack, "dead-letters", "redrive", "--service", "feedback", "--reason", "planted");
            assertThat(redrive.exitValue()).as(redrive.output()).isEqualTo(1);
            assertThat(redrive.output()).contains(Topics.PROJECTS.name() + "/0/424242: its source topic "
                    + Topics.PROJECTS.name() + " is not re-drivable").contains("re-drove 0 dead letter");
            assertThat(client.postEvents(project.body().get("writeKey").asText(), "{\"events\":[{\"eventId\":"
                    + "\"after-redrive\",\"type\":\"feature_used\",\"userId\":\"u-after\",\"feature\":\"f0\","
                    + "\"occurredAt\":\"" + java.time.Instant.now() + "\"}]}").status()).isEqualTo(202);
            assertThat(client.get("/v1/projects/" + id + "/features", readKey).status()).isEqualTo(200);

            // A client with no credentials learns nothing and writes nothing.
            assertThatThrownBy(() -> send(Map.of("bootstrap.servers", stack.bootstrapServers()), Topics.EVENTS))
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);

            // A service with a wrong password is not ready, and its log says why (once, not a stack of retries).
            Map<String, String> wrong = new HashMap<>(stack.kafkaSecurity(KafkaAccess.Role.ADOPTION));
            wrong.put("KAFKA_SASL_JAAS_CONFIG", KafkaAccess.jaas(KafkaAccess.Role.ADOPTION.userName(), "wrong"));
            ServiceProcess impostor = stack.anotherInstance("adoption", "adoption-wrong-password", TestStacks.freePort(),
                    wrong);
            try (impostor) {
                impostor.start();
                impostor.awaitStarted(Duration.ofSeconds(60));
                String refusal = "Kafka refused this service's credentials";
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(Files.readString(impostor.log(), StandardCharsets.UTF_8)).contains(refusal));
                assertThat(status(impostor, "/q/health/ready")).isEqualTo(503);
                Thread.sleep(10_000);
                assertThat(status(impostor, "/q/health/ready")).isEqualTo(503);
                String log = Files.readString(impostor.log(), StandardCharsets.UTF_8);
                assertThat(log).contains("SCRAM-SHA-512").contains("KAFKA_SASL_JAAS_CONFIG");
                assertThat(log.split(refusal, -1).length - 1).as(log).isEqualTo(1);
                // Before the one line, each client may have said it once; after it, 10 s of retries say nothing.
                long before = countRefusals(log.substring(0, log.indexOf(refusal)));
                long after = countRefusals(log.substring(log.indexOf(refusal)));
                System.out.printf("KafkaAclIT: a service with a wrong password: not ready, one line naming the refusal; "
                        + "the Kafka clients' own reports: %d before it, %d in the 10 s after%n", before, after);
                assertThat(after).as("the Kafka clients' repeats of the refusal after the one line: " + log)
                        .isLessThanOrEqualTo(2);
            }
            // The real instance is not disturbed by it.
            assertThat(status(stack.service("adoption"), "/q/health/ready")).isEqualTo(200);
        }
    }

    private static int status(ServiceProcess service, String path) throws Exception {
        var connection = (HttpURLConnection) service.uri(path).toURL().openConnection();
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static void refusedWrite(LocalStack stack, KafkaAccess.Role role, Topic<?> topic) {
        assertThatThrownBy(() -> send(stack.clientSettings(role), topic)).as(role + " writing " + topic.name())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    private static void refusedRead(LocalStack stack, KafkaAccess.Role role, Topic<?> topic) {
        try (var consumer = new KafkaConsumer<>(stack.clientSettings(role), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic.name(), 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).as(role + " reading " + topic.name())
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** The outcome of one run of the packaged CLI. */
    private record Run(int exitValue, String output) {
    }

    /** The packaged {@code northstar} CLI with the admin principal's {@code KAFKA_*} settings, as an operator runs it. */
    private static Run cli(LocalStack stack, String... args) throws Exception {
        java.nio.file.Path jar = TestStacks.repoRoot().resolve("clients/cli/target/northstar-cli.jar");
        List<String> command = new java.util.ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"),
                "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        stack.adminClientSettings().forEach((name, value) -> builder.environment()
                .put("KAFKA_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), String.valueOf(value)));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the CLI ends").isTrue();
        return new Run(process.exitValue(), output);
    }

    private static void send(Map<String, Object> settings, Topic<?> topic) throws Exception {
        send(settings, topic, "forged", "{}");
    }

    private static void send(Map<String, Object> settings, Topic<?> topic, String key, String value) throws Exception {
        Map<String, Object> config = new HashMap<>(settings);
        config.put("max.block.ms", 5000);
        config.put("delivery.timeout.ms", 5000);
        config.put("request.timeout.ms", 4000);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(10, TimeUnit.SECONDS);
        }
    }

    private static long countRefusals(String log) {
        return log.lines().filter(line -> line.contains("failed authentication")
                || line.contains("SaslAuthenticationException")).count();
    }
}
