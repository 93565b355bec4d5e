package dev.northstar.friction;

import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.model.snapshot.FrictionRecord.FeatureFriction;
import dev.northstar.model.snapshot.FrictionRecord.FunnelProgress;
import dev.northstar.model.topic.Topics;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TopicReader;
import dev.northstar.testkit.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class FrictionFlowTest {

    private static String event(String project, String eventId, String type, String extra) {
        return "{\"projectId\":\"" + project + "\",\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\","
                + "\"userId\":\"u-" + eventId + "\",\"occurredAt\":\"" + Instant.now().minusSeconds(60) + "\"" + extra + "}";
    }

    @Test
    void publishesFailureRatesAndFunnelsAndDeadLettersWhatItCannotRead() {
        String project = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = KafkaResource.bootstrapServers();
        String events = Topics.EVENTS.name();
        try (var writer = new TopicWriter(bootstrap);
             var snapshots = new TopicReader(bootstrap, Topics.FEATURE_FRICTION.name());
             var deadLetters = new TopicReader(bootstrap, Topics.DEAD_LETTER.name())) {
            writer.send(events, project, event(project, "e1", "feature_used", ",\"feature\":\"search\""));
            writer.send(events, project, event(project, "e2", "feature_failed", ",\"feature\":\"search\",\"errorCode\":\"timeout\""));
            writer.send(events, project, "{\"eventId\":");
            writer.send(events, project, event(project, "e3", "funnel_step", ",\"funnel\":\"signup\",\"step\":1"));
            writer.send(events, project, event(project, "e2", "feature_failed", ",\"feature\":\"search\",\"errorCode\":\"timeout\""));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                FeatureFriction search = (FeatureFriction) snapshots.latest(project + "/search", FrictionRecord.class)
                        .orElseThrow(() -> new AssertionError("no search snapshot yet"));
                assertThat(search.failureRate()).isEqualTo(0.5);
                assertThat(search.failures()).isEqualTo(1);
                FunnelProgress signup = (FunnelProgress) snapshots.latest(project + "/funnels/signup", FrictionRecord.class)
                        .orElseThrow(() -> new AssertionError("no funnel snapshot yet"));
                assertThat(signup.steps()).hasSize(1);
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    deadLetters.values(v -> v.contains("\"service\":\"friction\"") && v.contains("{\\\"eventId\\\":\"")))
                    .isNotEmpty());
        }
    }
}
