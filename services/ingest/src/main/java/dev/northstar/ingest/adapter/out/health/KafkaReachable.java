package dev.northstar.ingest.adapter.out.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import dev.northstar.platform.config.KafkaClients;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ingest is ready only while a Kafka broker answers: a load balancer then stops sending events to
 * an instance that could only answer 503, and sends them again once the broker is back. Checked at
 * most every two seconds.
 */
@Readiness
@ApplicationScoped
class KafkaReachable implements HealthCheck {

    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Admin admin;
    private volatile long checkedAt;
    private volatile boolean reachable;

    KafkaReachable(KafkaClients clients) {
        this.admin = Admin.create(clients.admin(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1500,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1500,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000)));
    }

    @Override
    public HealthCheckResponse call() {
        long now = System.nanoTime();
        if (checkedAt == 0 || now - checkedAt > CACHE_NANOS) {
            try {
                admin.describeCluster().nodes().get(1500, TimeUnit.MILLISECONDS);
                reachable = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reachable = false;
            } catch (Exception e) {
                reachable = false;
            }
            checkedAt = System.nanoTime();
        }
        return HealthCheckResponse.named("kafka reachable").status(reachable).build();
    }

    @jakarta.annotation.PreDestroy
    void close() {
        admin.close();
    }
}
