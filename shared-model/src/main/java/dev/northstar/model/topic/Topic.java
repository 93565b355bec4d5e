package dev.northstar.model.topic;

import java.util.Objects;

/**
 * One Kafka topic of the product: its name (which carries the major schema version), what its
 * records are keyed by, the type of its values, and how it is kept.
 *
 * @param name              the topic name, for example {@link dev.northstar.model.topic.Topics#EVENTS}
 * @param configKey         the short name services use in configuration ({@code northstar.topics.<configKey>})
 * @param key               what a record's key is, in words (for docs and operators)
 * @param valueType         the Java record (or sealed interface) a value maps to
 * @param compacted         whether the topic is log-compacted (latest value per key) or retention-based
 * @param defaultPartitions partitions used when the topic is created by Northstar
 */
public record Topic<V>(String name, String configKey, String key, Class<V> valueType, boolean compacted,
                       int defaultPartitions) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(configKey, "configKey");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(valueType, "valueType");
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1");
        }
    }

    /** The Kafka {@code cleanup.policy} for this topic. */
    public String cleanupPolicy() {
        return compacted ? "compact" : "delete";
    }
}
