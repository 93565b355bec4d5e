package dev.northstar.testkit;

import dev.northstar.model.json.NorthstarJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads what is on a topic, from the beginning, without a consumer group: how tests check what
 * did or did not reach Kafka.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every record read so far, after polling for what has arrived since. */
    public List<ConsumerRecord<String, byte[]>> poll() {
        for (int empty = 0; empty < 2; ) {
            var records = consumer.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
                empty++;
            }
            records.forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    /** Values (as UTF-8 text) of the records read so far whose value matches. */
    public List<String> values(Predicate<String> filter) {
        return poll().stream()
                .map(r -> r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8))
                .filter(v -> v != null && filter.test(v))
                .toList();
    }

    /**
     * The latest value read so far under {@code key}, as {@code type} (a compacted topic's current
     * value for the key), after polling for what has arrived since.
     */
    public <T> Optional<T> latest(String key, Class<T> type) {
        return poll().stream().filter(r -> key.equals(r.key()) && r.value() != null)
                .reduce((a, b) -> b)
                .map(r -> {
                    try {
                        return NorthstarJson.mapper().readValue(r.value(), type);
                    } catch (java.io.IOException e) {
                        throw new AssertionError("the value under " + key + " is not a " + type.getSimpleName(), e);
                    }
                });
    }

    /**
     * The latest value of every slice of snapshot {@code key} ({@code key#partition}, one per events
     * partition that counted some of it) read so far, as {@code type}, after polling for what has arrived since.
     */
    public <T> List<T> slices(String key, Class<T> type) {
        Map<String, ConsumerRecord<String, byte[]>> latest = new java.util.TreeMap<>();
        poll().stream().filter(r -> r.key() != null && r.key().startsWith(key + "#") && r.value() != null)
                .forEach(r -> latest.put(r.key(), r));
        return latest.values().stream().map(r -> {
            try {
                return NorthstarJson.mapper().readValue(r.value(), type);
            } catch (java.io.IOException e) {
                throw new AssertionError("the value under " + r.key() + " is not a " + type.getSimpleName(), e);
            }
        }).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
