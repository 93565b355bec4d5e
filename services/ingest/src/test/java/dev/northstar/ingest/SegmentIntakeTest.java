package dev.northstar.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topics;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/**
 * Segment-compatible intake, driven by Segment's own Java library ({@code com.segment.analytics.java:analytics})
 * pointed at ingest: every message it sends becomes the Northstar event the mapping says (docs/schemas.md),
 * counted against an oracle computed from what was sent; page, screen, group and alias are ignored; errors
 * come back in Segment's shape.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class SegmentIntakeTest {

    @TestHTTPResource("/v1/segment/batch")
    URL batch;

    private static String createProject(String projectId) {
        return given().header("Authorization", "Bearer test-admin-token").contentType(ContentType.JSON)
                .body("{\"projectId\":\"" + projectId + "\"}").post("/v1/admin/projects")
                .then().statusCode(201).extract().path("writeKey");
    }

    private static String basic(String writeKey) {
        return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whatSegmentsJavaLibrarySendsIsCountedAsTheMappingSays() throws Exception {
        String writeKey = createProject("segment-app");
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Analytics analytics = Analytics.builder(writeKey).setUploadURL(batch.toString()).flushQueueSize(50)
                .flushInterval(1, java.util.concurrent.TimeUnit.SECONDS)
                .callback(new com.segment.analytics.Callback() {
                    @Override
                    public void success(com.segment.analytics.messages.Message message) {
                    }

                    @Override
                    public void failure(com.segment.analytics.messages.Message message, Throwable error) {
                        failures.add(message.messageId() + ": " + error);
                    }
                }).build();
        Random random = new Random(7);
        Map<String, Integer> expected = new TreeMap<>();
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String user = "u" + random.nextInt(40);
            String id = "seg-" + i;
            messageIds.add(id);
            switch (random.nextInt(5)) {
                case 0 -> {
                    analytics.enqueue(TrackMessage.builder("Feature Used").userId(user).messageId(id)
                            .properties(Map.of("feature", "export-csv")));
                    expected.merge("feature_used/export-csv", 1, Integer::sum);
                }
                case 1 -> {
                    analytics.enqueue(TrackMessage.builder("Report Generated (PDF)").anonymousId("a-" + user).messageId(id));
                    expected.merge("feature_used/report-generated-pdf", 1, Integer::sum);
                }
                case 2 -> {
                    analytics.enqueue(TrackMessage.builder("Feature Failed").userId(user).messageId(id)
                            .properties(Map.of("feature", "export-csv", "errorCode", "timeout")));
                    expected.merge("feature_failed/export-csv", 1, Integer::sum);
                }
                case 3 -> {
                    analytics.enqueue(TrackMessage.builder("Funnel Step").userId(user).messageId(id)
                            .properties(Map.of("funnel", "signup", "step", 1 + random.nextInt(3))));
                    expected.merge("funnel_step/signup", 1, Integer::sum);
                }
                default -> {
                    analytics.enqueue(TrackMessage.builder("Feedback Given").userId(user).messageId(id)
                            .properties(Map.of("feature", "export-csv", "rating", 1 + random.nextInt(5),
                                    "comment", "ok")));
                    expected.merge("feedback_given/export-csv", 1, Integer::sum);
                }
            }
        }
        analytics.enqueue(IdentifyMessage.builder().anonymousId("a-u1").userId("u1").messageId("seg-identify"));
        expected.merge("user_identified/", 1, Integer::sum);
        messageIds.add("seg-identify");
        // Segment message types Northstar has no use for: accepted, not stored.
        analytics.enqueue(IdentifyMessage.builder().userId("u2").messageId("seg-traits").traits(Map.of("plan", "pro")));
        analytics.enqueue(PageMessage.builder("Pricing").userId("u1").messageId("seg-page"));
        analytics.enqueue(GroupMessage.builder("acme").userId("u1").messageId("seg-group"));
        analytics.enqueue(AliasMessage.builder("u1").userId("u3").messageId("seg-alias"));
        analytics.flush();
        analytics.shutdown();
        assertThat(failures).as("what Segment's library could not upload").isEmpty();

        try (TopicReader events = new TopicReader(KafkaResource.bootstrapServers(), Topics.EVENTS.name())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, Integer> stored = new TreeMap<>();
                List<String> ids = new ArrayList<>();
                for (String value : events.values(v -> v.contains("\"projectId\":\"segment-app\""))) {
                    JsonNode e = NorthstarJson.mapper().readTree(value);
                    String what = e.path("feature").asText(e.path("funnel").asText(""));
                    stored.merge(e.get("type").asText() + "/" + what, 1, Integer::sum);
                    ids.add(e.get("eventId").asText());
                }
                assertThat(stored).isEqualTo(expected);
                assertThat(ids).containsExactlyInAnyOrderElementsOf(messageIds);
            });
        }
    }

    @Test
    void answersInSegmentsShapeAndNamesABadMessageByItsIndex() {
        String writeKey = createProject("segment-shapes");
        String body = """
                {"sentAt": "2026-11-28T10:00:00Z", "batch": [
                  {"type": "track", "event": "Search Run", "userId": "u1", "messageId": "s-1", "timestamp": "2026-11-28T09:59:00Z"},
                  {"type": "page", "name": "Home", "userId": "u1", "messageId": "s-2"},
                  {"type": "track", "event": "Feedback Given", "userId": "u1", "messageId": "s-3",
                   "properties": {"feature": "search", "rating": 9}}
                ]}""";
        given().header("Authorization", basic(writeKey)).contentType(ContentType.JSON).body(body)
                .post("/v1/segment/batch").then().statusCode(200)
                .body("success", equalTo(true)).body("accepted", equalTo(1)).body("rejected", equalTo(1))
                .body("ignored", equalTo(1))
                .body("results.status", contains("ok", "ignored", "rejected"))
                .body("results[2].error", equalTo("batch[2].rating: must be an integer from 1 to 5"));
        given().contentType(ContentType.JSON).body("{\"writeKey\":\"" + writeKey + "\",\"batch\":[{\"type\":\"track\","
                        + "\"event\":\"Export Used\",\"userId\":\"u1\",\"messageId\":\"s-6\"}]}")
                .post("/v1/segment/import").then().statusCode(200).body("accepted", equalTo(1));
        given().header("Authorization", basic(writeKey)).contentType(ContentType.JSON)
                .body("{\"userId\":\"u1\",\"event\":\"Export Used\",\"messageId\":\"s-4\"}")
                .post("/v1/segment/track").then().statusCode(200).body("accepted", equalTo(1));
        given().header("Authorization", basic(writeKey)).contentType(ContentType.JSON)
                .body("{\"userId\":\"u1\",\"anonymousId\":\"a-1\",\"messageId\":\"s-5\"}")
                .post("/v1/segment/identify").then().statusCode(200).body("accepted", equalTo(1));

        given().header("Authorization", basic("nsw_0000000000000000_wrong")).contentType(ContentType.JSON).body(body)
                .post("/v1/segment/batch").then().statusCode(401).body("success", equalTo(false));
        given().contentType(ContentType.JSON).body(body).post("/v1/segment/batch").then().statusCode(401)
                .body("message", equalTo("The write key is required as the Basic-auth user name "
                        + "(Authorization: Basic base64(writeKey:)) or the payload's writeKey"));
        given().header("Authorization", basic(writeKey)).contentType(ContentType.JSON).body("{\"batch\": 3}")
                .post("/v1/segment/batch").then().statusCode(400)
                .body("message", equalTo("batch: is required and must be an array of Segment messages"));
        given().header("Authorization", basic(writeKey)).contentType(ContentType.JSON).body("{\"batch\": [")
                .post("/v1/segment/batch").then().statusCode(400).body("success", equalTo(false));
    }
}
