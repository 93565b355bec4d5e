package dev.northstar.feedback;

import dev.northstar.model.snapshot.FeatureFeedback;
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
class FeedbackFlowTest {

    private static String feedback(String project, String eventId, int rating, String comment) {
        return "{\"projectId\":\"" + project + "\",\"eventId\":\"" + eventId + "\",\"type\":\"feedback_given\","
                + "\"userId\":\"u-" + eventId + "\",\"feature\":\"export\",\"rating\":" + rating
                + (comment == null ? "" : ",\"comment\":\"" + comment + "\"")
                + ",\"occurredAt\":\"" + Instant.now().minusSeconds(60) + "\"}";
    }

    @Test
    void publishesRatingsAndCommentsAndDeadLettersWhatItCannotRead() {
        String project = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = KafkaResource.bootstrapServers();
        String events = Topics.EVENTS.name();
        try (var writer = new TopicWriter(bootstrap);
             var snapshots = new TopicReader(bootstrap, Topics.FEATURE_FEEDBACK.name());
             var deadLetters = new TopicReader(bootstrap, Topics.DEAD_LETTER.name())) {
            writer.send(events, Topics.eventKey(project, "u-e1"), feedback(project, "e1", 5, "great"));
            writer.send(events, Topics.eventKey(project, "u-e2"), feedback(project, "e2", 9, null)); // rating out of range
            writer.send(events, Topics.eventKey(project, "u-e3"), feedback(project, "e3", 2, null));
            writer.send(events, Topics.eventKey(project, "u-e1"), feedback(project, "e1", 5, "great")); // duplicate

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var export = snapshots.slices(project + "/export", FeatureFeedback.class);
                assertThat(export.stream().mapToLong(FeatureFeedback::count).sum()).isEqualTo(2);
                assertThat(export.stream().mapToDouble(f -> f.average() * f.count()).sum()).isEqualTo(7.0);
                assertThat(export.stream().flatMap(f -> f.recentComments().stream()))
                        .extracting(FeatureFeedback.Comment::comment).containsExactly("great");
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLetters.values(v ->
                    v.contains("\"service\":\"feedback\"") && v.contains("rating: must be an integer from 1 to 5")))
                    .isNotEmpty());
        }
    }
}
