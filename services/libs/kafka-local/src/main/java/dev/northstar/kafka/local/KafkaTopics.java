package dev.northstar.kafka.local;

import dev.northstar.model.topic.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Creates the catalogue's topics on a broker, and checks that a broker answers. */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /** Creates each topic that does not exist yet, with its partitions and cleanup policy. */
    public static void ensure(String bootstrapServers, Collection<Topic<?>> topics) {
        try (Admin admin = admin(bootstrapServers, Duration.ofSeconds(30))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), t.defaultPartitions(), (short) 1)
                            .configs(Map.of("cleanup.policy", t.cleanupPolicy())))
                    .collect(Collectors.toList());
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create topics: " + e.getCause().getMessage(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Could not list topics on " + bootstrapServers + ": " + e, e);
        }
    }

    /** Whether a broker at {@code bootstrapServers} answers a metadata request within {@code timeout}. */
    public static boolean isReachable(String bootstrapServers, Duration timeout) {
        try (Admin admin = admin(bootstrapServers, timeout)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static Admin admin(String bootstrapServers, Duration timeout) {
        int millis = (int) Math.max(1000, timeout.toMillis());
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
    }
}
