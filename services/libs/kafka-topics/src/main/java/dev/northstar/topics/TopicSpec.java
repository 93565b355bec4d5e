package dev.northstar.topics;

import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic as it must exist on the cluster: the catalogue's declaration ({@link Topic#cleanup()},
 * partitions) with a deployment's {@link TopicSettings} applied.
 *
 * @param configs the topic-level configuration entries, {@code cleanup.policy} first
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    /** Every topic of the catalogue, as {@code settings} deploy it. */
    public static List<TopicSpec> catalogue(TopicSettings settings) {
        return of(Topics.ALL, settings);
    }

    public static List<TopicSpec> of(Collection<Topic<?>> topics, TopicSettings settings) {
        return topics.stream().map(t -> of(t, settings)).toList();
    }

    public static TopicSpec of(Topic<?> topic, TopicSettings settings) {
        Map<String, String> configs = new LinkedHashMap<>(topic.cleanup().configs());
        if (topic.equals(Topics.EVENTS)) {
            configs.put("retention.ms", String.valueOf(settings.eventsRetention().map(d -> d.toMillis()).orElse(-1L)));
        }
        configs.put("min.insync.replicas", String.valueOf(settings.minInsyncReplicas()));
        // A single-partition topic (projects: one ordered log of registrations) stays single.
        int partitions = topic.defaultPartitions() == 1 ? 1 : settings.partitions();
        return new TopicSpec(topic.name(), partitions, settings.replicationFactor(), configs);
    }

    public String cleanupPolicy() {
        return configs.getOrDefault("cleanup.policy", "delete");
    }

    NewTopic newTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }
}
