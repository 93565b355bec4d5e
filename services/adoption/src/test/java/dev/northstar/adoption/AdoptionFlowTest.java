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
import java.util.List;
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
            String events = Topics.EVENTS.name();
            writer.send(events, Topics.eventKey(project, "ann"), event(project, "e1", "ann", "export"));
            writer.send(events, Topics.eventKey(project, "ann"), "{not json".getBytes());
            writer.send(events, Topics.eventKey(project, "ann"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
            writer.send(events, Topics.eventKey(project, "ann"), "{\"eventId\":\"bad\",\"type\":\"feature_used\"}");
            writer.send(events, Topics.eventKey(project, "bob"), event(project, "e2", "bob", "export"));
            writer.send(events, Topics.eventKey(project, "bob"), event(project, "e2", "bob", "export")); // duplicate
            writer.send(events, project, event(project, "e3", "cat", "export")); // keyed by project alone (events.v1)
            writer.send(events, Topics.eventKey(project, "ann"), event(project, "e4", "dan", "export")); // another's key

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<FeatureAdoption> slices = snapshots.slices(project + "/export", AdoptionRecord.class).stream()
                        .map(FeatureAdoption.class::cast).toList();
                assertThat(slices).as("one slice per partition holding ann or bob").isNotEmpty()
                        .allSatisfy(s -> assertThat(s.recordKey()).isEqualTo(project + "/export#" + s.partition()));
                assertThat(slices.stream().mapToLong(s -> s.users().all()).sum()).isEqualTo(2);
                assertThat(slices.stream().mapToLong(s -> s.users().d7()).sum()).isEqualTo(2);
                assertThat(slices.stream().mapToLong(FeatureAdoption::uses).sum()).isEqualTo(2);
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLetters.values(v ->
                    v.contains("\"service\":\"adoption\"") && v.contains("key: must be projectId/actor ('" + project)))
                    .as("both records not keyed by their own project and actor").hasSize(2));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    deadLetters.values(v -> v.contains("\"sourceTopic\":\"" + Topics.EVENTS.name() + "\"")
                            && v.contains("\"service\":\"adoption\"")
                            && (v.contains("not json") || v.contains("\"reason\":\"invalid: userId") || v.contains("payloadBase64\":true"))))
                    .hasSizeGreaterThanOrEqualTo(3));
        }
    }
}
