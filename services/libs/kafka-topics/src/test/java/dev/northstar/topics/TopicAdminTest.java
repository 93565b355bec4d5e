package dev.northstar.topics;

import dev.northstar.kafka.local.InProcessKafka;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real broker: topics created as declared, brought back to it, and checked as services need. */
class TopicAdminTest {

    private static InProcessKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void start() {
        kafka = InProcessKafka.start();
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        kafka.close();
    }

    /** Creates topics and waits until the broker describes them (a creation is committed before every broker knows it). */
    private static void create(NewTopic... topics) throws Exception {
        admin.createTopics(List.of(topics)).all().get(30, TimeUnit.SECONDS);
        List<String> names = java.util.Arrays.stream(topics).map(NewTopic::name).toList();
        for (long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos(); System.nanoTime() < deadline; ) {
            try {
                admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                Thread.sleep(100);
            }
        }
    }

    /**
     * The topic's settings once {@code expected} shows in them (a change is committed by the controller
     * before every broker has applied it, so a read right after may still see the old value).
     */
    private static Map<String, String> configShowing(String topic, Map<String, String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Map<String, String> config = Map.of();
        while (true) {
            try {
                config = configOf(topic);
            } catch (java.util.concurrent.ExecutionException notYetKnownToThisBroker) {
                // described again below
            }
            if (config.entrySet().containsAll(expected.entrySet()) || System.nanoTime() > deadline) {
                return config;
            }
            Thread.sleep(100);
        }
    }

    private static Map<String, String> configOf(String topic) throws Exception {
        var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        var config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        return config.entries().stream().collect(java.util.stream.Collectors.toMap(ConfigEntry::name,
                e -> e.value() == null ? "" : e.value()));
    }

    @Test
    void createsEveryCatalogueTopicWithItsDeclaredSettingsAndAgainChangesNothing() throws Exception {
        var settings = new TopicSettings(3, (short) 1, 1, Optional.empty());
        try (TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), Duration.ofSeconds(30))) {
            var first = topics.apply(TopicSpec.catalogue(settings));
            assertThat(first.problems()).isEmpty();
            for (var spec : TopicSpec.catalogue(settings)) {
                configShowing(spec.name(), spec.configs());
            }
            var again = topics.apply(TopicSpec.catalogue(settings));
            assertThat(again.created()).isEmpty();
            assertThat(again.altered()).isEmpty();
            assertThat(again.ok()).isTrue();
        }
        var described = admin.describeTopics(Topics.ALL.stream().map(t -> t.name()).toList()).allTopicNames()
                .get(30, TimeUnit.SECONDS);
        assertThat(described.get(Topics.EVENTS.name()).partitions()).hasSize(3);
        assertThat(described.get(Topics.PROJECTS.name()).partitions()).hasSize(1);
        assertThat(configOf(Topics.EVENTS.name())).containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "-1").containsEntry("retention.bytes", "-1")
                .containsEntry("min.insync.replicas", "1");
        assertThat(configOf(Topics.PROJECTS.name())).containsEntry("cleanup.policy", "compact")
                .containsEntry("segment.ms", String.valueOf(Duration.ofHours(6).toMillis()))
                .containsEntry("min.cleanable.dirty.ratio", "0.1")
                .containsEntry("delete.retention.ms", String.valueOf(Duration.ofDays(1).toMillis()));
        assertThat(configOf(Topics.FEATURE_ADOPTION.name())).containsEntry("cleanup.policy", "compact");
        assertThat(configOf(Topics.DEAD_LETTER.name()))
                .containsEntry("retention.ms", String.valueOf(Duration.ofDays(30).toMillis()));
    }

    @Test
    void bringsAnAutoCreatedLookingTopicToItsDeclaredSettingsAndReportsWhatItCannotChange() throws Exception {
        String name = "declared-then-drifted";
        create(new NewTopic(name, 1, (short) 1).configs(Map.of("retention.ms", "604800000")));
        var spec = new TopicSpec(name, 4, (short) 1, Map.of("cleanup.policy", "compact", "segment.ms", "3600000"));
        try (TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), Duration.ofSeconds(30))) {
            var applied = topics.apply(List.of(spec));
            assertThat(applied.created()).isEmpty();
            assertThat(applied.altered()).anySatisfy(a -> assertThat(a).startsWith(name + ": cleanup.policy=compact"));
            assertThat(applied.problems()).singleElement().asString()
                    .contains(name, "has 1 partitions, 4 are declared");
        }
        assertThat(configShowing(name, Map.of("cleanup.policy", "compact", "segment.ms", "3600000")))
                .containsEntry("cleanup.policy", "compact").containsEntry("segment.ms", "3600000");
    }

    @Test
    void verifyListsEveryDifferenceAndChangesNothing() throws Exception {
        String name = "verified-drifted";
        create(new NewTopic(name, 2, (short) 1).configs(Map.of("cleanup.policy", "delete", "retention.ms", "604800000")));
        var spec = new TopicSpec(name, 3, (short) 1, Map.of("cleanup.policy", "compact", "retention.ms", "604800000"));
        var absent = new TopicSpec("verified-absent", 1, (short) 1, Map.of());
        try (TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), Duration.ofSeconds(30))) {
            assertThat(topics.verify(List.of(spec, absent))).containsExactly(
                    "topic " + name + " has 2 partitions, 3 are declared: adding partitions moves keys to other "
                            + "partitions, so it is left to an operator",
                    "topic verified-absent does not exist (TopicsCommand create makes it)",
                    "topic " + name + " has cleanup.policy=delete, compact is declared");
            assertThat(topics.verify(List.of(new TopicSpec(name, 2, (short) 1, Map.of("retention.ms", "604800000")))))
                    .isEmpty();
        }
        assertThat(configOf(name)).containsEntry("cleanup.policy", "delete");   // nothing changed
        // The command says what verify finds about the catalogue (whatever the other tests left), and exits by it.
        List<String> expected;
        try (TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), Duration.ofSeconds(30))) {
            expected = topics.verify(TopicSpec.catalogue(TopicSettings.fromEnvironment(Map.of())));
        }
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = TopicsCommand.run(new String[]{"verify"}, Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(expected.isEmpty() ? 0 : 1);
        for (String problem : expected) {
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("PROBLEM " + problem);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(expected.isEmpty() ? "are as declared"
                : expected.size() + " difference(s) from the catalogue");
    }

    @Test
    void checkNamesTheTopicAndTheSettingAServiceCannotWorkWith() throws Exception {
        create(new NewTopic("registry-not-compacted", 1, (short) 1),
                new NewTopic("events-kept-a-week", 1, (short) 1).configs(Map.of("retention.ms", "604800000")),
                new NewTopic("events-capped-in-bytes", 1, (short) 1).configs(Map.of("retention.ms", "-1", "retention.bytes", "1048576")),
                new NewTopic("events-kept-forever", 1, (short) 1).configs(Map.of("retention.ms", "-1")));
        try (TopicAdmin topics = TopicAdmin.connect(kafka.bootstrapServers(), Duration.ofSeconds(30))) {
            List<String> problems = topics.check(List.of(
                    TopicNeed.cleanup("registry-not-compacted", "compact", "the registry is read whole at start"),
                    TopicNeed.exists("never-created", "ingest writes events to it"),
                    TopicNeed.cleanup("events-kept-a-week", "delete", "adoption reads it")
                            .keptAtLeast(TopicNeed.FOREVER, "the memory store rebuilds from the whole topic"),
                    TopicNeed.exists("events-capped-in-bytes", "adoption reads it")
                            .keptAtLeast(TopicNeed.FOREVER, "the memory store rebuilds from the whole topic"),
                    TopicNeed.exists("events-kept-a-week", "friction reads it")
                            .keptAtLeast(Duration.ofDays(28), "a lost checkpoint is rebuilt from it"),
                    TopicNeed.exists("events-kept-forever", "feedback reads it")
                            .keptAtLeast(TopicNeed.FOREVER, "the memory store rebuilds from the whole topic")));
            assertThat(problems).containsExactly(
                    "topic registry-not-compacted has cleanup.policy=delete, it must be compact "
                            + "(the registry is read whole at start)",
                    "topic never-created does not exist (ingest writes events to it): create the topics first "
                            + "(README, 'Topics'); brokers must not create them on first use",
                    "topic events-kept-a-week has retention.ms=604800000 (7 days); it must keep records forever "
                            + "(adoption reads it; the memory store rebuilds from the whole topic): set retention.ms=-1",
                    "topic events-capped-in-bytes has retention.bytes=1048576; it must keep records forever "
                            + "(adoption reads it; the memory store rebuilds from the whole topic): set retention.bytes=-1",
                    "topic events-kept-a-week has retention.ms=604800000 (7 days); it must keep records 28 days "
                            + "(friction reads it; a lost checkpoint is rebuilt from it): set retention.ms to at least "
                            + "2419200000 or -1");
        }
    }

    @Test
    void theCommandCreatesTheCatalogueFromTheEnvironmentAndRefusesBadSettings() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = TopicsCommand.run(new String[]{"create"}, Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        TopicSettings.PARTITIONS, "3", TopicSettings.EVENTS_RETENTION, "P400D"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("are as declared");
        String fourHundredDays = String.valueOf(Duration.ofDays(400).toMillis());
        assertThat(configShowing(Topics.EVENTS.name(), Map.of("retention.ms", fourHundredDays)))
                .containsEntry("retention.ms", fourHundredDays);

        var refused = new ByteArrayOutputStream();
        status = TopicsCommand.run(new String[]{"create"}, Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        TopicSettings.REPLICATION_FACTOR, "1", TopicSettings.MIN_INSYNC_REPLICAS, "2"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(refused, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(refused.toString(StandardCharsets.UTF_8))
                .contains("min.insync.replicas must be between 1 and the replication factor (1), not 2");
        // Put the events topic back to the catalogue's default for the other tests.
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS.name()),
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "-1"), AlterConfigOp.OpType.SET))))
                .all().get(30, TimeUnit.SECONDS);
        configShowing(Topics.EVENTS.name(), Map.of("retention.ms", "-1"));
    }

    @Test
    void settingsComeFromTheEnvironmentWithProductionMinimumInSyncReplicas() {
        var three = TopicSettings.fromEnvironment(Map.of(TopicSettings.REPLICATION_FACTOR, "3"));
        assertThat(three.minInsyncReplicas()).isEqualTo(2);
        assertThat(TopicSpec.of(Topics.EVENTS, three).configs()).containsEntry("min.insync.replicas", "2")
                .containsEntry("retention.ms", "-1");
        assertThat(TopicSettings.fromEnvironment(Map.of()).replicationFactor()).isEqualTo((short) 1);
        assertThat(TopicSettings.retention("forever")).isEmpty();
        assertThat(TopicSettings.retention("P30D")).contains(Duration.ofDays(30));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopicSettings.retention("30 days"))
                .hasMessageContaining("NORTHSTAR_EVENTS_RETENTION must be 'forever' or an ISO-8601 duration");
    }
}
