package dev.northstar.platform.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Says at start which Kafka cluster this service uses. Being an injection point of
 * {@link KafkaAddress} in every service, it also makes the address required before anything
 * starts: without it the service stops, naming {@code KAFKA_BOOTSTRAP_SERVERS}.
 */
@Startup
@ApplicationScoped
class KafkaAddressLog {

    private static final Logger LOG = Logger.getLogger(KafkaAddressLog.class);

    KafkaAddressLog(KafkaAddress kafka) {
        LOG.infof("Kafka cluster: %s", kafka.bootstrapServers());
    }
}
