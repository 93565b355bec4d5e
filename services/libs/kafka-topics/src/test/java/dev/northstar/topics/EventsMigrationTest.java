package dev.northstar.topics;

import dev.northstar.kafka.local.InProcessKafka;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real broker: the events keyed by project are copied to the topic keyed by project and
 * actor, every record once, in order per actor, with its value and timestamp; a second run (after
 * more events arrived) copies only what is new; a record without an actor keeps its old key.
 */
class EventsMigrationTest {

    private static InProcessKafka kafka;
    private static Map<String, Object> client;
    private static final String FROM = "migration-test.events.v1";
    private static final String TO = "migration-test.events.v2";

    @BeforeAll
    static void start() throws Exception {
        kafka = InProcessKafka.start();
        client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(client)) {
            // Kept forever, as the events topics are: the records' times are from 2023, and a broker's
            // default retention would delete their segments in the middle of the test.
            Map<String, String> forever = Map.of("retention.ms", "-1", "retention.bytes", "-1");
            admin.createTopics(List.of(new NewTopic(FROM, 3, (short) 1).configs(forever),
                    new NewTopic(TO, 6, (short) 1).configs(forever))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static String event(String project, int i) {
        String actor = i % 7 == 0 ? "\"anonymousId\":\"anon-" + (i % 40) + "\"" : "\"userId\":\"user-" + (i % 40) + "\"";
        return "{\"projectId\":\"" + project + "\",\"eventId\":\"e" + i + "\",\"type\":\"feature_used\"," + actor
                + ",\"feature\":\"export\",\"occurredAt\":\"2026-11-24T10:00:00Z\"}";
    }

    private static void write(int from, int to) throws Exception {
        try (var producer = new KafkaProducer<>(client, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < to; i++) {
                String project = "p" + (i % 3);
                producer.send(new ProducerRecord<>(FROM, null, 1_700_000_000_000L + i, project, event(project, i))).get();
            }
            producer.send(new ProducerRecord<>(FROM, "p0", "{not json")).get();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    @Test
    void copiesEveryEventOnceKeyedByProjectAndActorInOrderAndResumes() throws Exception {
        write(0, 3_000);
        var out = new ByteArrayOutputStream();

        var first = EventsMigration.run(client, FROM, TO, new PrintStream(out, true, StandardCharsets.UTF_8));
        write(3_000, 4_000);
        var second = EventsMigration.run(client, FROM, TO, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(first).isEqualTo(new EventsMigration.Result(3_001, 1));
        assertThat(second).isEqualTo(new EventsMigration.Result(1_001, 1));
        List<ConsumerRecord<String, byte[]>> copied = readAll(TO);
        assertThat(copied).hasSize(4_002);
        Map<String, Integer> lastOfActor = new HashMap<>();
        for (var record : copied) {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            if (value.equals("{not json")) {
                assertThat(record.key()).isEqualTo("p0");
                continue;
            }
            int i = Integer.parseInt(value.replaceAll(".*\"eventId\":\"e(\\d+)\".*", "$1"));
            String actor = (i % 7 == 0 ? "anon-" : "user-") + (i % 40);
            assertThat(record.key()).isEqualTo(Topics.eventKey("p" + (i % 3), actor));
            assertThat(record.value()).isEqualTo(event("p" + (i % 3), i).getBytes(StandardCharsets.UTF_8));
            assertThat(record.timestamp()).isEqualTo(1_700_000_000_000L + i);
            assertThat(record.partition()).as("the default partitioner's partition of the new key")
                    .isEqualTo(Utils.toPositive(Utils.murmur2(record.key().getBytes(StandardCharsets.UTF_8))) % 6);
            assertThat(new String(record.headers().lastHeader(EventsMigration.FROM_HEADER).value(),
                    StandardCharsets.US_ASCII)).startsWith(FROM + ":");
            Integer before = lastOfActor.put(record.key(), i);
            assertThat(before == null || before < i).as("events of " + record.key() + " in order").isTrue();
        }
        assertThat(lastOfActor.values().stream().mapToInt(Integer::intValue).max()).hasValue(3_999);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("3,001 records to copy").contains("1,001 records copied");
    }
}
