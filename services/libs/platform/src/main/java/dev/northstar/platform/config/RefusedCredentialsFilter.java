package dev.northstar.platform.config;

import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * While Kafka refuses this service's credentials ({@link KafkaCredentials}, which says so once), the
 * Kafka clients' and connector's log records are dropped: each client would otherwise log the same
 * refusal on every reconnect, several lines a second. Everything is logged again once the
 * credentials are accepted. Set on the console handler ({@code quarkus.log.console.filter}).
 */
@LoggingFilter(name = "kafka-refused-credentials")
public final class RefusedCredentialsFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!KafkaCredentials.refused) {
            return true;
        }
        String logger = record.getLoggerName();
        return logger == null
                || !(logger.startsWith("org.apache.kafka") || logger.startsWith("io.smallrye.reactive.messaging.kafka"));
    }
}
