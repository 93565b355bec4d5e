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
            writer.send(events, Topics.eventKey(project, "u-e1"), event(project, "e1", "feature_used", ",\"feature\":\"search\""));
            writer.send(events, Topics.eventKey(project, "u-e2"), event(project, "e2", "feature_failed", ",\"feature\":\"search\",\"errorCode\":\"timeout\""));
            writer.send(events, Topics.eventKey(project, "u-e1"), "{\"eventId\":");
            writer.send(events, Topics.eventKey(project, "u-e3"), event(project, "e3", "funnel_step", ",\"funnel\":\"signup\",\"step\":1"));
            writer.send(events, Topics.eventKey(project, "u-e2"), event(project, "e2", "feature_failed", ",\"feature\":\"search\",\"errorCode\":\"timeout\""));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var search = snapshots.slices(project + "/search", FrictionRecord.class).stream()
                        .map(FeatureFriction.class::cast).toList();
                assertThat(search.stream().mapToLong(FeatureFriction::used28d).sum()).isEqualTo(1);
                assertThat(search.stream().mapToLong(FeatureFriction::failed28d).sum()).isEqualTo(1);
                assertThat(search.stream().mapToLong(FeatureFriction::failures).sum()).isEqualTo(1);
                var signup = snapshots.slices(project + "/funnels/signup", FrictionRecord.class).stream()
                        .map(FunnelProgress.class::cast).toList();
                assertThat(signup).hasSize(1);
                assertThat(signup.get(0).steps()).hasSize(1);
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    deadLetters.values(v -> v.contains("\"service\":\"friction\"") && v.contains("{\\\"eventId\\\":\"")))
                    .isNotEmpty());
        }
    }
}
