package dev.northstar.platform.messaging;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Knows whether a consumer that reads a whole topic from the beginning has read everything that
 * was on it when this instance started: the end offsets are fetched once, on the first question,
 * and compared with what the listener reports as consumed. A partition with nothing left to read
 * at that moment (empty, or every record removed by retention) counts as read, although no record
 * will ever be reported from it. Latches once caught up.
 */
public final class TopicCatchUp {

    private static final Logger LOG = Logger.getLogger(TopicCatchUp.class);

    private final String topic;
    private final Map<String, Object> clientConfig;
    private final Map<Integer, Long> consumed = new ConcurrentHashMap<>();
    private volatile Map<Integer, Long> target;
    private volatile boolean caughtUp;

    /** On the cluster {@code clientConfig} reaches (see {@code KafkaClients}: connection and security settings). */
    public TopicCatchUp(String topic, Map<String, Object> clientConfig) {
        this.topic = topic;
        this.clientConfig = Map.copyOf(clientConfig);
    }

    /** On an unsecured cluster at {@code bootstrapServers} (tests). */
    public TopicCatchUp(String topic, String bootstrapServers) {
        this(topic, Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public String topic() {
        return topic;
    }

    /** Called by the listener for every record it has applied. */
    public void consumed(ConsumerRecord<?, ?> record) {
        consumed.merge(record.partition(), record.offset() + 1, Math::max);
    }

    /** Whether every record that was on the topic at the first question has been applied. Latches. */
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
            LOG.infof("Caught up with %s (end offsets %s)", topic, goal);
        }
        return caughtUp;
    }

    /** The offsets to reach per partition, once they could be read (0 where there is nothing to read). */
    Optional<Map<Integer, Long>> target() {
        return Optional.ofNullable(target != null ? target : fetchTarget());
    }

    private Map<Integer, Long> offsets(Admin admin, List<org.apache.kafka.common.TopicPartitionInfo> partitions,
                                       OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> spec));
        return admin.listOffsets(request).all().get(3, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
    }

    /**
     * The end offsets to reach, read once. One admin client is kept until they are read (a new one per
     * attempt would open a new connection, with its TLS and SASL handshakes, every time) and closed with
     * a bounded wait; failures are reported at most every 30 s, naming why.
     */
    private synchronized Map<Integer, Long> fetchTarget() {
        if (target != null) {
            return target;
        }
        try {
            if (admin == null) {
                Map<String, Object> config = new java.util.HashMap<>(clientConfig);
                config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
                config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
                admin = Admin.create(config);
            }
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(3, TimeUnit.SECONDS)
                    .get(topic).partitions();
            Map<Integer, Long> start = offsets(admin, partitions, OffsetSpec.earliest());
            Map<Integer, Long> end = offsets(admin, partitions, OffsetSpec.latest());
            // Nothing to read where the log starts at its end: the goal is met by reading nothing.
            target = end.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                    e -> start.getOrDefault(e.getKey(), 0L) >= e.getValue() ? 0L : e.getValue()));
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
            return target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            long now = System.nanoTime();
            if (reportedAt == 0 || now - reportedAt > TimeUnit.SECONDS.toNanos(30)) {
                reportedAt = now;
                LOG.infof("Cannot read the end of %s yet (%s); asking again", topic, e.toString());
            }
            return null;
        }
    }

    private Admin admin;
    private long reportedAt;
}
