package dev.northstar.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.erasure.ActorErasure;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topics;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With NORTHSTAR_PSEUDONYMIZE_ACTORS=true the events topic never holds a raw userId or anonymousId:
 * each is a pseudonym, the same for the same id in the project; an erasure by the raw id records the
 * same pseudonym, so it reaches the events it must.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@TestProfile(PseudonymousIdsTest.Pseudonymous.class)
class PseudonymousIdsTest {

    public static class Pseudonymous implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("northstar.ingest.pseudonymize-actors", "true",
                    "northstar.ingest.pseudonym-key", "a-test-pseudonym-key-of-at-least-32-bytes");
        }
    }

    @Test
    void theLogHoldsPseudonymsOnlyAndErasureFindsThem() {
        String projectId = "p-" + UUID.randomUUID().toString().substring(0, 8);
        String writeKey = given().header("Authorization", "Bearer test-admin-token").contentType(ContentType.JSON)
                .body("{\"projectId\":\"" + projectId + "\"}").post("/v1/admin/projects")
                .then().statusCode(201).extract().path("writeKey");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"events\":["
                + "{\"eventId\":\"" + run + "-1\",\"type\":\"feature_used\",\"userId\":\"alice@example.com\",\"feature\":\"export\",\"occurredAt\":\"2026-11-24T10:00:00Z\"},"
                + "{\"eventId\":\"" + run + "-2\",\"type\":\"feature_used\",\"userId\":\"alice@example.com\",\"feature\":\"search\",\"occurredAt\":\"2026-11-24T10:01:00Z\"},"
                + "{\"eventId\":\"" + run + "-3\",\"type\":\"feature_used\",\"anonymousId\":\"anon-7f3a\",\"feature\":\"export\",\"occurredAt\":\"2026-11-24T10:02:00Z\"}]}";
        given().header("Authorization", "Bearer " + writeKey).contentType(ContentType.JSON).body(body)
                .post("/v1/events").then().statusCode(202);

        Map<String, JsonNode> written = new HashMap<>();
        List<String> raw = new ArrayList<>();
        try (TopicReader events = new TopicReader(KafkaResource.bootstrapServers(), Topics.EVENTS.name())) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> record : events.poll()) {
                    String text = new String(record.value(), StandardCharsets.UTF_8);
                    JsonNode event = NorthstarJson.mapper().readTree(record.value());
                    if (event.path("eventId").asText().startsWith(run)) {
                        written.put(event.path("eventId").asText(), event);
                        raw.add(text);
                    }
                }
                assertThat(written).hasSize(3);
            });
        }
        assertThat(raw).allSatisfy(text -> assertThat(text).doesNotContain("alice").doesNotContain("anon-7f3a"));
        String alice = written.get(run + "-1").path("userId").asText();
        assertThat(alice).startsWith("ps_");
        assertThat(written.get(run + "-2").path("userId").asText()).as("the same person, the same pseudonym").isEqualTo(alice);
        assertThat(written.get(run + "-3").path("anonymousId").asText()).startsWith("ps_").isNotEqualTo(alice);

        // Erased by the id the producer knows; recorded as the pseudonym the events carry.
        given().header("Authorization", "Bearer test-admin-token")
                .delete("/v1/admin/projects/" + projectId + "/users/alice@example.com").then().statusCode(202);
        try (TopicReader erasures = new TopicReader(KafkaResource.bootstrapServers(), Topics.ERASURES.name())) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(erasures.latest(Topics.erasureKey(projectId, alice), ActorErasure.class))
                            .hasValueSatisfying(e -> assertThat(e.actorId()).isEqualTo(alice)));
        }
    }
}
