package dev.northstar.kit.registry;

import dev.northstar.model.topic.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Knows whether this instance has read the projects topic up to where it ended when the instance
 * started. Until then a key it does not know may simply not be loaded yet: the service is not
 * ready, and such a key is answered 503 (retry), never 401 (which a producer would not retry).
 */
@ApplicationScoped
public class RegistryCatchUp {

    private static final Logger LOG = Logger.getLogger(RegistryCatchUp.class);

    private final String bootstrapServers;
    private final Map<Integer, Long> consumed = new ConcurrentHashMap<>();
    private volatile Map<Integer, Long> target;
    private volatile boolean caughtUp;

    public RegistryCatchUp(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Called by the projects listener for every record it read. */
    public void consumed(ConsumerRecord<?, ?> record) {
        consumed.merge(record.partition(), record.offset() + 1, Math::max);
    }

    /** Whether every record that was on the projects topic at startup has been read. Latches. */
    public boolean isCaughtUp() {
        if (caughtUp) {
            return true;
        }
        Map<Integer, Long> goal = target != null ? target : fetchTarget();
        if (goal == null) {
            return false;
        }
        caughtUp = goal.entrySet().stream().allMatch(e -> consumed.getOrDefault(e.getKey(), 0L) >= e.getValue());
        if (caughtUp) {
            LOG.infof("Project registry loaded (end offsets %s)", goal);
        }
        return caughtUp;
    }

    private synchronized Map<Integer, Long> fetchTarget() {
        if (target != null) {
            return target;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000))) {
            String topic = Topics.PROJECTS.name();
            var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(3, TimeUnit.SECONDS)
                    .get(topic).partitions();
            Map<TopicPartition, OffsetSpec> request = partitions.stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            target = admin.listOffsets(request).all().get(3, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toUnmodifiableMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
            return target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            LOG.debugf("Cannot read the end of the projects topic yet: %s", e.toString());
            return null;
        }
    }
}
