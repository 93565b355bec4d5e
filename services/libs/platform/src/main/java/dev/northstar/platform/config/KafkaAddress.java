package dev.northstar.platform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The Kafka cluster every service talks to. Required: in production it comes from
 * {@code KAFKA_BOOTSTRAP_SERVERS}, and a service started without it stops at once with
 * "Could not expand value KAFKA_BOOTSTRAP_SERVERS in property kafka.bootstrap.servers" instead of
 * failing later, less clearly, in the Kafka client.
 */
@ConfigMapping(prefix = "kafka")
public interface KafkaAddress {

    /** {@code host:port[,host:port...]}. */
    @WithName("bootstrap.servers")
    String bootstrapServers();
}
