package dev.northstar.ingest;

import dev.northstar.testkit.Management;
import dev.northstar.model.topic.Topics;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class IngestApiTest {

    private static final String ADMIN = "Bearer test-admin-token";
    private static TopicReader events;

    @BeforeAll
    static void openTopic() {
        events = new TopicReader(KafkaResource.bootstrapServers(), Topics.EVENTS.name());
    }

    @AfterAll
    static void closeTopic() {
        events.close();
    }

    record Keys(String projectId, String writeKey, String readKey) {
    }

    static Keys createProject() {
        String projectId = "p-" + UUID.randomUUID().toString().substring(0, 8);
        Response response = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body("{\"projectId\":\"" + projectId + "\",\"name\":\"Test project\"}")
                .post("/v1/admin/projects");
        response.then().statusCode(201)
                .body("projectId", equalTo(projectId))
                .body("writeKey", startsWith("nsw_"))
                .body("readKey", startsWith("nsr_"));
        return new Keys(projectId, response.path("writeKey"), response.path("readKey"));
    }

    static String event(String eventId, String extra) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"feature_used\",\"userId\":\"u1\",\"feature\":\"export\","
                + "\"occurredAt\":\"2026-11-24T10:00:00Z\"" + extra + "}";
    }

    private long onTopic(String eventId) {
        return events.values(v -> v.contains("\"eventId\":\"" + eventId + "\"")).size();
    }

    @Test
    void acceptsAnEventAfterKafkaAcknowledgedItUnderTheProjectOfTheKey() {
        Keys keys = createProject();
        String eventId = "e-" + UUID.randomUUID();

        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON)
                .body("{\"events\":[" + event(eventId, ",\"projectId\":\"someone-else\"") + "]}")
                .post("/v1/events")
                .then().statusCode(202)
                .body("accepted", equalTo(1)).body("rejected", equalTo(0))
                .body("results[0].index", equalTo(0))
                .body("results[0].eventId", equalTo(eventId))
                .body("results[0].status", equalTo("ok"));

        // 202 means it is on the topic already, keyed by the key's project (not the body's) and the actor.
        var records = events.poll().stream()
                .filter(r -> new String(r.value()).contains(eventId)).toList();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(keys.projectId() + "/u1");
        assertThat(new String(records.get(0).value())).contains("\"projectId\":\"" + keys.projectId() + "\"");
    }

    @Test
    void acceptsTheValidEventsOfABatchAndRejectsTheOthersInInputOrder() {
        Keys keys = createProject();
        String good = "e-" + UUID.randomUUID();
        String bad = "e-" + UUID.randomUUID();

        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON)
                .body("{\"events\":[" + event(bad, ",\"feature\":\"Not A Slug\"").replace(",\"feature\":\"export\"", "")
                        + "," + event(good, "") + "]}")
                .post("/v1/events")
                .then().statusCode(202)
                .body("accepted", equalTo(1)).body("rejected", equalTo(1))
                .body("results[0].status", equalTo("rejected"))
                .body("results[0].error", equalTo("events[0].feature: must match [a-z0-9][a-z0-9._-]{0,63}"))
                .body("results[1].status", equalTo("ok"));

        assertThat(onTopic(good)).isEqualTo(1);
        assertThat(onTopic(bad)).isZero();
    }

    @Test
    void concurrentFullBatchesWithinTheInFlightBoundAreAllAcceptedAndStored() throws Exception {
        // 12 batches of 500 at once: 6,000 events waiting for Kafka together, well inside ingest's
        // in-flight bound (20,000). The connector must not refuse them on a bound of its own.
        Keys keys = createProject();
        String run = "burst-" + UUID.randomUUID().toString().substring(0, 8);
        var http = HttpClient.newHttpClient();
        URI uri = URI.create("http://localhost:" + RestAssured.port + "/v1/events");
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int b = 0; b < 12; b++) {
            StringBuilder body = new StringBuilder("{\"events\":[");
            for (int i = 0; i < 500; i++) {
                body.append(i == 0 ? "" : ",").append(event(run + "-" + b + "-" + i, ""));
            }
            answers.add(http.sendAsync(HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + keys.writeKey()).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var answer : answers) {
            var response = answer.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }
        assertThat(events.values(v -> v.contains("\"eventId\":\"" + run + "-"))).hasSize(6_000);
    }

    @Test
    void answersMalformedJsonWithAProblemSayingWhere() {
        Keys keys = createProject();
        String eventId = "e-" + UUID.randomUUID();

        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON)
                .body("{\"events\":[" + event(eventId, "") + ",}")
                .post("/v1/events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("line 1, column"));

        assertThat(onTopic(eventId)).isZero();
    }

    @Test
    void refusesMissingWrongAndReadOnlyKeysWithoutPublishing() {
        // An unknown key is 401 once the registry is loaded (503 while it loads).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                Management.given().get("/q/health/ready").then().statusCode(200));
        Keys keys = createProject();
        String eventId = "e-" + UUID.randomUUID();
        String body = "{\"events\":[" + event(eventId, "") + "]}";

        for (String authorization : new String[] {null, "Bearer nsw_0123456789abcdef_wrong", "Bearer " + keys.readKey(),
                ADMIN, "Basic Zm9vOmJhcg==", "Bearer ${jndi:ldap://example.invalid/a}"}) {
            var request = given().contentType(ContentType.JSON).body(body);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            request.post("/v1/events").then().statusCode(401)
                    .contentType("application/problem+json")
                    .body("detail", containsString("write key"));
        }
        assertThat(onTopic(eventId)).isZero();
    }

    @Test
    void answersWrongContentTypeAndOversizeBatchesWithProblems() {
        Keys keys = createProject();
        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.TEXT)
                .body("{\"events\":[]}")
                .post("/v1/events")
                .then().statusCode(415).contentType("application/problem+json");

        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON)
                .body("{\"events\":[]}")
                .post("/v1/events")
                .then().statusCode(400).body("detail", equalTo("events: must contain at least one event"));

        StringBuilder many = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 501; i++) {
            many.append(i == 0 ? "" : ",").append(event("e" + i, ""));
        }
        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON)
                .body(many.append("]}").toString())
                .post("/v1/events")
                .then().statusCode(413).body("detail", equalTo("events: at most 500 events per request, got 501"));
    }

    @Test
    void projectAdministrationNeedsTheAdminTokenAndRefusesDuplicates() {
        given().contentType(ContentType.JSON).body("{\"projectId\":\"nope\"}")
                .post("/v1/admin/projects")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body("{\"projectId\":\"nope\"}")
                .post("/v1/admin/projects")
                .then().statusCode(401);

        Keys keys = createProject();
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body("{\"projectId\":\"" + keys.projectId() + "\"}")
                .post("/v1/admin/projects")
                .then().statusCode(409).contentType("application/problem+json");
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body("{\"projectId\":\"Bad/Id\"}")
                .post("/v1/admin/projects")
                .then().statusCode(400).body("detail", containsString("projectId: must match"));
    }

    /** On the management port only: the public port, the one a load balancer exposes, serves no /q/*. */
    @Test
    void exposesHealthMetricsAndOpenApi() {
        for (String path : java.util.List.of("/q/health/ready", "/q/health", "/q/metrics", "/q/openapi")) {
            given().get(path).then().statusCode(404);
        }
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        Management.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/events"));
    }

    @Test
    void servesTheJsonSchemasProducersValidateAgainst() {
        given().get("/v1/schemas/event.json").then().statusCode(200)
                .contentType("application/schema+json")
                .body("$schema", equalTo("https://json-schema.org/draft/2020-12/schema"))
                .body("properties.rating.maximum", equalTo(5));
        given().get("/v1/schemas/batch.json").then().statusCode(200).body("properties.events.maxItems", equalTo(500));
        given().get("/v1/schemas/nope.json").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void everyGoldenInvalidEventIsRefusedOverHttpWithItsExactError() throws Exception {
        Keys keys = createProject();
        var dir = java.nio.file.Path.of("../../shared-model/src/test/resources/fixtures/events/v1/invalid");
        int checked = 0;
        for (String line : java.nio.file.Files.readAllLines(dir.resolve("expected-errors.tsv"))) {
            String[] cols = line.split("\t");
            if (line.startsWith("#") || !cols[2].equals("yes") && !cols[2].equals("no")) {
                continue; // document-level cases answer 400 for the whole body; covered elsewhere
            }
            String event = java.nio.file.Files.readString(dir.resolve(cols[0] + ".json"));
            given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON)
                    .body("{\"events\":[" + event + "]}")
                    .post("/v1/events")
                    .then().statusCode(202)
                    .body("accepted", equalTo(0))
                    .body("results[0].status", equalTo("rejected"))
                    .body("results[0].error", equalTo(cols[1].startsWith("event: ")
                            ? "events[0]: " + cols[1].substring("event: ".length()) : "events[0]." + cols[1]));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(40);
    }

    /**
     * Times at the edges of what ISO-8601 can say never make a 500: an implausible occurredAt is refused
     * per event naming the range, an implausible sentAt refuses the batch naming sentAt (the clock
     * correction between the two extremes threw DateTimeException before, failing the whole batch).
     */
    @Test
    void extremeTimesAreRefusedNamingTheRangeAndNeverAnswer500() {
        Keys keys = createProject();
        String extreme = "{\"eventId\":\"t-1\",\"type\":\"feature_used\",\"userId\":\"u-1\",\"feature\":\"export\","
                + "\"occurredAt\":\"-999999999-01-01T00:00:00Z\"}";
        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON)
                .body("{\"sentAt\":\"+999999999-12-31T23:59:59Z\",\"events\":[" + extreme + "]}")
                .post("/v1/events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("sentAt: must be from 2000-01-01T00:00:00Z to before 2100-01-01T00:00:00Z"));
        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON)
                .body("{\"sentAt\":\"" + java.time.Instant.now() + "\",\"events\":[" + extreme + "]}")
                .post("/v1/events")
                .then().statusCode(202).body("accepted", equalTo(0))
                .body("results[0].error", equalTo("events[0].occurredAt: must be from 2000-01-01T00:00:00Z to before "
                        + "2100-01-01T00:00:00Z, got -999999999-01-01T00:00:00Z"));
        // A plausible pair whose correction lands before 2000 is refused too, naming why.
        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON)
                .body("{\"sentAt\":\"2099-01-01T00:00:00Z\",\"events\":[{\"eventId\":\"t-2\",\"type\":\"feature_used\","
                        + "\"userId\":\"u-1\",\"feature\":\"export\",\"occurredAt\":\"2000-01-01T00:00:00Z\"}]}")
                .post("/v1/events")
                .then().statusCode(202).body("accepted", equalTo(0))
                .body("results[0].error", startsWith("events[0].occurredAt: corrected by the batch's sentAt"));
    }

    @Test
    void rotatingKeysRetiresTheOldOnes() {
        Keys keys = createProject();
        var rotated = given().header("Authorization", ADMIN)
                .post("/v1/admin/projects/" + keys.projectId() + "/keys/rotate")
                .then().statusCode(200).body("projectId", equalTo(keys.projectId())).extract();
        String newWriteKey = rotated.path("writeKey");
        String body = "{\"events\":[" + event("e-" + UUID.randomUUID(), "") + "]}";

        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON).body(body)
                .post("/v1/events").then().statusCode(401);
        given().header("Authorization", "Bearer " + newWriteKey).contentType(ContentType.JSON).body(body)
                .post("/v1/events").then().statusCode(202);
        given().header("Authorization", "Bearer wrong").post("/v1/admin/projects/" + keys.projectId() + "/keys/rotate")
                .then().statusCode(401);
        given().header("Authorization", ADMIN).post("/v1/admin/projects/no-such-project/keys/rotate")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theProjectListNamesEveryProjectAndNoKey() {
        Keys keys = createProject();
        String list = given().header("Authorization", ADMIN).get("/v1/admin/projects")
                .then().statusCode(200).extract().asString();
        assertThat(list).contains("\"projectId\":\"" + keys.projectId() + "\"").contains("keysIssuedAt")
                .doesNotContain(keys.writeKey()).doesNotContain(keys.readKey()).doesNotContain("nsw_").doesNotContain("hash");
        given().get("/v1/admin/projects").then().statusCode(401).contentType("application/problem+json");
    }

    /** An erasure is on the erasures topic when it is answered 202; nothing of it in the audit but ids. */
    @Test
    void erasingAPersonRecordsTheErasureAndAnswers202() {
        Keys keys = createProject();
        var answer = given().header("Authorization", ADMIN)
                .delete("/v1/admin/projects/" + keys.projectId() + "/users/user 42")
                .then().statusCode(202).body("projectId", equalTo(keys.projectId())).body("actorId", equalTo("user 42"))
                .body("status", equalTo("accepted")).extract();
        String erasureId = answer.path("erasureId");
        try (TopicReader erasures = new TopicReader(KafkaResource.bootstrapServers(), Topics.ERASURES.name())) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> assertThat(erasures.latest(
                    Topics.erasureKey(keys.projectId(), "user 42"), dev.northstar.model.erasure.ActorErasure.class))
                    .hasValueSatisfying(e -> assertThat(e.erasureId()).isEqualTo(erasureId)));
        }
        // An id the project never saw: accepted, changes nothing. Unknown project: 404. Bad id: 400. No token: 401.
        given().header("Authorization", ADMIN).delete("/v1/admin/projects/" + keys.projectId() + "/users/never-seen")
                .then().statusCode(202);
        given().header("Authorization", ADMIN).delete("/v1/admin/projects/no-such-project/users/u1")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", ADMIN).delete("/v1/admin/projects/" + keys.projectId() + "/users/" + "x".repeat(129))
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("actorId"));
        given().header("Authorization", "Bearer wrong").delete("/v1/admin/projects/" + keys.projectId() + "/users/u1")
                .then().statusCode(401);
    }

    @Test
    void aDeclaredBodyOverOneMebibyteIs413BeforeItIsRead() {
        Keys keys = createProject();
        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON).body(big)
                .post("/v1/events")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("at most 1048576 bytes"));
    }

    @Test
    void browsersFromAnAllowedOriginMayPostButNoOtherOrigin() {
        given().header("Origin", "http://localhost:3000").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/v1/events")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:3000")
                .header("Access-Control-Allow-Credentials", org.hamcrest.Matchers.not("true"));
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/events")
                .then().header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void countsRejectedEventsByTheFieldAtFault() {
        Keys keys = createProject();
        given().header("Authorization", "Bearer " + keys.writeKey()).contentType(ContentType.JSON)
                .body("{\"events\":[" + event("e-" + UUID.randomUUID(), ",\"rating\":9") + "]}")
                .post("/v1/events").then().statusCode(202).body("rejected", equalTo(1));
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("northstar_ingest_events_total{reason=\"rating\",service=\"ingest\",status=\"rejected\"}"))
                .body(containsString("northstar_ingest_kafka_send_seconds_bucket"));
    }
}
