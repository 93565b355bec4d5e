package dev.northstar.platform.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.Map;

/**
 * The one place the Kafka clients a service builds by hand (the admin clients of its readiness checks
 * and catch-ups) take their connection settings from: the cluster's address and security settings
 * ({@link KafkaAddress}, the {@code kafka.*} properties the channels use too, for example from
 * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}).
 * A client never builds its own connection settings.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> connection;

    @Inject
    KafkaClients(KafkaAddress kafka) {
        this(kafka.clientSettings());
    }

    private KafkaClients(Map<String, Object> connection) {
        this.connection = Map.copyOf(connection);
    }

    /** From explicit connection settings (tests and tools outside a service). */
    public static KafkaClients of(Map<String, Object> connection) {
        return new KafkaClients(connection);
    }

    /** The settings of an admin client: the cluster's connection and security settings, then {@code overrides}. */
    public Map<String, Object> admin(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(connection);
        config.putAll(overrides);
        return config;
    }
}
