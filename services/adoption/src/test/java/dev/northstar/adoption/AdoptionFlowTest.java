package dev.northstar.adoption;

import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.UserCounts;
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
class AdoptionFlowTest {

    private static String event(String project, String eventId, String user, String feature) {
        return "{\"projectId\":\"" + project + "\",\"eventId\":\"" + eventId + "\",\"type\":\"feature_used\","
                + "\"userId\":\"" + user + "\",\"feature\":\"" + feature + "\",\"occurredAt\":\""
                + Instant.now().minusSeconds(60) + "\",\"receivedAt\":\"" + Instant.now() + "\"}";
    }

    @Test
    void publishesFeatureAdoptionFromEventsAndDeadLettersWhatItCannotRead() {
        String project = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = KafkaResource.bootstrapServers();
        try (var writer = new TopicWriter(bootstrap);
             var snapshots = new TopicReader(bootstrap, Topics.FEATURE_ADOPTION.name());
             var deadLetters = new TopicReader(bootstrap, Topics.DEAD_LETTER.name())) {
            writer.send(Topics.EVENTS.name(), project, event(project, "e1", "ann", "export"));
            writer.send(Topics.EVENTS.name(), project, "{not json".getBytes());
            writer.send(Topics.EVENTS.name(), project, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
            writer.send(Topics.EVENTS.name(), project, "{\"eventId\":\"bad\",\"type\":\"feature_used\"}");
            writer.send(Topics.EVENTS.name(), project, event(project, "e2", "bob", "export"));
            writer.send(Topics.EVENTS.name(), project, event(project, "e2", "bob", "export")); // duplicate

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                FeatureAdoption latest = snapshots.latest(project + "/export", AdoptionRecord.class)
                        .map(FeatureAdoption.class::cast).orElseThrow(() -> new AssertionError("no snapshot yet"));
                assertThat(latest.users()).isEqualTo(new UserCounts(2, 2, 2));
                assertThat(latest.uses()).isEqualTo(2);
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    deadLetters.values(v -> v.contains("\"sourceTopic\":\"" + Topics.EVENTS.name() + "\"")
                            && v.contains("\"service\":\"adoption\"")
                            && (v.contains("not json") || v.contains("\"reason\":\"invalid: userId") || v.contains("payloadBase64\":true"))))
                    .hasSizeGreaterThanOrEqualTo(3));
        }
    }
}
