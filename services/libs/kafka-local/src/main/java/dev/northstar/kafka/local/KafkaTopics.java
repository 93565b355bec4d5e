package dev.northstar.kafka.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Checks that a broker answers (topics are created by the kafka-topics library, TopicAdmin). */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /** Whether a broker at {@code bootstrapServers} answers a metadata request within {@code timeout}. */
    public static boolean isReachable(String bootstrapServers, Duration timeout) {
        return isReachable(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), timeout);
    }

    /** The same with an admin client on {@code clientSettings} (address and, where secured, credentials). */
    public static boolean isReachable(Map<String, Object> clientSettings, Duration timeout) {
        try (Admin admin = admin(clientSettings, timeout)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static Admin admin(Map<String, Object> clientSettings, Duration timeout) {
        int millis = (int) Math.max(1000, timeout.toMillis());
        Map<String, Object> config = new java.util.HashMap<>(clientSettings);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return Admin.create(config);
    }
}
