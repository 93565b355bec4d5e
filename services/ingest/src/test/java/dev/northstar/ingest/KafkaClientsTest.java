package dev.northstar.ingest;

import dev.northstar.platform.config.KafkaClients;
import dev.northstar.testkit.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka clients ingest builds by hand (readiness, registry catch-up) take the same {@code kafka.*}
 * settings as its channels, security settings included ({@code kafka.security.protocol} is set for
 * the tests to show it arrives: the channels connect with it, and so do the hand-built clients).
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class KafkaClientsTest {

    @Inject
    KafkaClients clients;

    @Test
    void handBuiltClientsTakeTheServicesKafkaSettingsIncludingSecurity() {
        Map<String, Object> admin = clients.admin(Map.of("request.timeout.ms", 1500));

        assertThat(admin).containsEntry("bootstrap.servers", KafkaResource.bootstrapServers())
                .containsEntry("security.protocol", "PLAINTEXT")
                .containsEntry("request.timeout.ms", 1500);
        assertThat(admin.keySet()).allMatch(org.apache.kafka.clients.admin.AdminClientConfig.configNames()::contains);
        // The same settings reach the channels: the service produced and consumed through them above.
    }
}
