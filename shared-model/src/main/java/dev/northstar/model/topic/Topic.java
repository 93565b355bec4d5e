package dev.northstar.model.topic;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Kafka topic of the product: its name (which carries the major schema version), what its
 * records are keyed by, the type of its values, and how the broker keeps it.
 *
 * @param name              the topic name, for example {@link dev.northstar.model.topic.Topics#EVENTS}
 * @param configKey         the short name services use in configuration ({@code northstar.topics.<configKey>})
 * @param key               what a record's key is, in words (for docs and operators)
 * @param valueType         the Java record (or sealed interface) a value maps to
 * @param cleanup           how old records go: compaction (latest value per key) or retention by time
 * @param defaultPartitions partitions used when the topic is created by Northstar
 */
public record Topic<V>(String name, String configKey, String key, Class<V> valueType, Cleanup cleanup,
                       int defaultPartitions) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(configKey, "configKey");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(cleanup, "cleanup");
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1");
        }
    }

    /** Whether the topic is log-compacted (latest value per key) rather than retention-based. */
    public boolean compacted() {
        return cleanup instanceof Cleanup.Compact;
    }

    /** The Kafka {@code cleanup.policy} for this topic. */
    public String cleanupPolicy() {
        return cleanup.configs().get("cleanup.policy");
    }

    /** How a topic's old records are removed, as the Kafka topic-level settings that say it. */
    public sealed interface Cleanup {

        /** The topic-level configuration entries ({@code cleanup.policy} and the settings that go with it). */
        Map<String, String> configs();

        /**
         * Latest value per key. {@code segment} bounds how long a replaced value stays (the active
         * segment is never compacted), {@code minCleanableDirtyRatio} how much of the log may be
         * replaced values before the cleaner runs, {@code deleteRetention} how long a tombstone stays
         * readable.
         */
        record Compact(Duration segment, double minCleanableDirtyRatio, Duration deleteRetention) implements Cleanup {
            @Override
            public Map<String, String> configs() {
                Map<String, String> configs = new LinkedHashMap<>();
                configs.put("cleanup.policy", "compact");
                configs.put("segment.ms", String.valueOf(segment.toMillis()));
                configs.put("min.cleanable.dirty.ratio", String.valueOf(minCleanableDirtyRatio));
                configs.put("delete.retention.ms", String.valueOf(deleteRetention.toMillis()));
                return configs;
            }
        }

        /**
         * Latest value per key, and any record older than {@code retention} deleted too: a log of
         * things that each change for a while and then are done (webhook deliveries).
         */
        record CompactAndDelete(Compact compact, Duration retention) implements Cleanup {
            @Override
            public Map<String, String> configs() {
                Map<String, String> configs = new LinkedHashMap<>(compact.configs());
                configs.put("cleanup.policy", "compact,delete");
                configs.put("retention.ms", String.valueOf(retention.toMillis()));
                configs.put("retention.bytes", "-1");
                return configs;
            }
        }

        /** Records are deleted once older than {@code retention}; kept forever when it is empty. */
        record Delete(Optional<Duration> retention) implements Cleanup {
            public static final Delete FOREVER = new Delete(Optional.empty());

            public static Delete after(Duration retention) {
                return new Delete(Optional.of(retention));
            }

            /** {@code retention.ms}: -1 for forever. */
            public long retentionMs() {
                return retention.map(Duration::toMillis).orElse(-1L);
            }

            @Override
            public Map<String, String> configs() {
                Map<String, String> configs = new LinkedHashMap<>();
                configs.put("cleanup.policy", "delete");
                configs.put("retention.ms", String.valueOf(retentionMs()));
                configs.put("retention.bytes", "-1");
                return configs;
            }
        }
    }
}
