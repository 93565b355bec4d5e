package dev.northstar.platform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Kafka cluster every service talks to, and how it connects: the address and, on a secured
 * cluster, the security settings. Required: in production the address comes from
 * {@code KAFKA_BOOTSTRAP_SERVERS}, and a service started without it stops at once with
 * "Could not expand value KAFKA_BOOTSTRAP_SERVERS in property kafka.bootstrap.servers" instead of
 * failing later, less clearly, in the Kafka client. The settings are declared one by one, so a
 * mistyped {@code kafka.*} property stops the service instead of being ignored; the channels read the
 * same {@code kafka.*} properties, and {@link KafkaClients} hands them to every hand-built client.
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaAddress {

    /** {@code host:port[,host:port...]}. */
    @WithName("bootstrap.servers")
    String bootstrapServers();

    /** {@code PLAINTEXT} (default), {@code SASL_PLAINTEXT}, {@code SASL_SSL} or {@code SSL}. */
    @WithName("security.protocol")
    Optional<String> securityProtocol();

    /** {@code SCRAM-SHA-512}, for example. */
    @WithName("sasl.mechanism")
    Optional<String> saslMechanism();

    /** The login module line with the service's principal and secret (from the environment, never a file in git). */
    @WithName("sasl.jaas.config")
    Optional<String> saslJaasConfig();

    @WithName("ssl.truststore.location")
    Optional<String> sslTruststoreLocation();

    @WithName("ssl.truststore.password")
    Optional<String> sslTruststorePassword();

    @WithName("ssl.truststore.type")
    Optional<String> sslTruststoreType();

    @WithName("ssl.endpoint.identification.algorithm")
    Optional<String> sslEndpointIdentificationAlgorithm();

    /** The settings a Kafka client needs to reach and authenticate to the cluster, as client properties. */
    default Map<String, Object> clientSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        securityProtocol().ifPresent(v -> settings.put("security.protocol", v));
        saslMechanism().ifPresent(v -> settings.put("sasl.mechanism", v));
        saslJaasConfig().ifPresent(v -> settings.put("sasl.jaas.config", v));
        sslTruststoreLocation().ifPresent(v -> settings.put("ssl.truststore.location", v));
        sslTruststorePassword().ifPresent(v -> settings.put("ssl.truststore.password", v));
        sslTruststoreType().ifPresent(v -> settings.put("ssl.truststore.type", v));
        sslEndpointIdentificationAlgorithm().ifPresent(v -> settings.put("ssl.endpoint.identification.algorithm", v));
        return settings;
    }
}
