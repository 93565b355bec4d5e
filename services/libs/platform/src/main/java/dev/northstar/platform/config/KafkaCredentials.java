package dev.northstar.platform.config;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Whether Kafka accepts this service's credentials. When it refuses them (a wrong password, a user
 * not created yet, a TLS handshake that fails) the service is not ready, and the log says so once,
 * in one line naming the failure and where the credentials come from, instead of every Kafka
 * client repeating it on each reconnect ({@link RefusedCredentialsFilter} keeps those quiet while
 * the refusal lasts). Checked at start and on each readiness probe (at most every 2 s); when the
 * credentials are accepted again (the operator created the user) the log says that too.
 */
@Readiness
@ApplicationScoped
public class KafkaCredentials implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(KafkaCredentials.class);
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Read by the log filter: Kafka refused this service's credentials at the last check. */
    static volatile boolean refused;

    private final KafkaClients clients;
    private final String mechanism;
    private Admin admin;
    private long checkedAt;
    private volatile String refusal;

    KafkaCredentials(KafkaClients clients, KafkaAddress kafka) {
        this.clients = clients;
        this.mechanism = kafka.securityProtocol().orElse("PLAINTEXT")
                + kafka.saslMechanism().map(m -> " " + m).orElse("");
    }

    void onStart(@Observes StartupEvent event) {
        Thread thread = new Thread(this::check, "kafka-credentials-check");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public HealthCheckResponse call() {
        check();
        var response = HealthCheckResponse.named("kafka credentials accepted").status(refusal == null);
        String why = refusal;
        if (why != null) {
            response.withData("refused", why);
        }
        return response.build();
    }

    private synchronized void check() {
        long now = System.nanoTime();
        if (checkedAt != 0 && now - checkedAt < RECHECK_NANOS) {
            return;
        }
        checkedAt = now;
        try {
            admin().describeCluster().nodes().get(3, TimeUnit.SECONDS);
            accepted();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException failure) {
                refused(failure);
            }
            // Anything else (Kafka not reachable yet) is not about the credentials: other checks say it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException e) {
            // not reachable yet: other checks report it
        }
    }

    private void refused(AuthenticationException failure) {
        String why = failure.getMessage();
        if (refusal == null) {
            LOG.errorf("Kafka refused this service's credentials (%s): %s. Not ready until Kafka accepts them: check "
                    + "the principal and secret in KAFKA_SASL_JAAS_CONFIG (and KAFKA_SASL_MECHANISM, "
                    + "KAFKA_SECURITY_PROTOCOL, the truststore for TLS), and that the user exists on the cluster. "
                    + "The Kafka clients' own reports of this refusal are not logged while it lasts.", mechanism, why);
        }
        refusal = why;
        refused = true;
    }

    private void accepted() {
        if (refusal != null) {
            LOG.infof("Kafka accepts this service's credentials (%s) now", mechanism);
        }
        refusal = null;
        refused = false;
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(clients.admin(Map.of(
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                    AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000)));
        }
        return admin;
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
        }
    }
}
