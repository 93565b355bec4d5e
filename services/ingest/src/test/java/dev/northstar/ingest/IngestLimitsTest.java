package dev.northstar.ingest;

import dev.northstar.testkit.Management;
import dev.northstar.testkit.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Rate limits per write key, with a small bucket so the test can exhaust it; slow clients, with short
 * timeouts so the test need not wait long.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@TestProfile(IngestLimitsTest.SmallBucket.class)
class IngestLimitsTest {

    public static class SmallBucket implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("northstar.ingest.rate-limit.burst", "3", "northstar.ingest.rate-limit.events-per-second", "0.5",
                    "northstar.ingest.request-read-timeout", "2s", "quarkus.http.idle-timeout", "3s");
        }
    }

    private static String writeKey() {
        String projectId = "p-" + UUID.randomUUID().toString().substring(0, 8);
        return given().header("Authorization", "Bearer test-admin-token").contentType(ContentType.JSON)
                .body("{\"projectId\":\"" + projectId + "\"}")
                .post("/v1/admin/projects").then().statusCode(201).extract().path("writeKey");
    }

    private static String batch(int n) {
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(IngestApiTest.event("e-" + UUID.randomUUID(), ""));
        }
        return b.append("]}").toString();
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterAndOtherKeysAreUnaffected() {
        String busy = writeKey();
        given().header("Authorization", "Bearer " + busy).contentType(ContentType.JSON).body(batch(3))
                .post("/v1/events").then().statusCode(202);
        given().header("Authorization", "Bearer " + busy).contentType(ContentType.JSON).body(batch(1))
                .post("/v1/events").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("detail", containsString("events per second"));

        String quiet = writeKey();
        given().header("Authorization", "Bearer " + quiet).contentType(ContentType.JSON).body(batch(1))
                .post("/v1/events").then().statusCode(202).body("accepted", equalTo(1));
    }

    /**
     * Segment messages Northstar ignores (page, screen, group, alias) count toward the key's rate like
     * events: a flood of them is refused with 429 in Segment's shape (they were free before).
     */
    @Test
    void ignoredSegmentMessagesAreChargedToTheKeysRate() {
        String key = writeKey();
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((key + ":").getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        String pages = "{\"batch\":[" + String.join(",", java.util.Collections.nCopies(3,
                "{\"type\":\"page\",\"name\":\"Home\",\"userId\":\"u1\"}")) + "]}";
        given().header("Authorization", basic).contentType(ContentType.JSON).body(pages)
                .post("/v1/segment/batch").then().statusCode(200).body("ignored", equalTo(3))
                .body("results.status", org.hamcrest.Matchers.contains("ignored", "ignored", "ignored"));
        given().header("Authorization", basic).contentType(ContentType.JSON).body(pages)
                .post("/v1/segment/batch").then().statusCode(429).header("Retry-After", notNullValue())
                .body("success", equalTo(false)).body("message", containsString("events per second"));
    }

    @Test
    void anUnknownKeyIsRefusedBeforeAnyLimit() {
        // An unknown key is 401 once the registry is loaded (503 while it loads).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                Management.given().get("/q/health/ready").then().statusCode(200));
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Bearer nsw_0123456789abcdef_unknown").contentType(ContentType.JSON)
                    .body(batch(3)).post("/v1/events").then().statusCode(401);
        }
    }

    @Test
    void aClientThatStopsSendingItsBodyIsAnswered408AndCutOff() throws Exception {
        String key = writeKey();
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head(key, 5000).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // ... and then nothing more.
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json")
                    .contains("did not arrive whole within 2000 ms");
        }
    }

    @Test
    void aDribblingClientIsCutOffLongBeforeItsBodyArrives() throws Exception {
        String key = writeKey();
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(head(key, 5000).getBytes(StandardCharsets.US_ASCII));
            // One byte every 200 ms never trips the idle timeout, and would take 17 minutes to finish.
            var dribbler = new Thread(() -> {
                try {
                    for (int i = 0; i < 5000; i++) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (Exception closed) {
                    // the server closed the connection: what this test expects
                }
            });
            dribbler.start();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dribbler.interrupt();
            assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json");
        }
    }

    private static String head(String writeKey, int contentLength) {
        return "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + writeKey
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n{\"events\":[";
    }
}
