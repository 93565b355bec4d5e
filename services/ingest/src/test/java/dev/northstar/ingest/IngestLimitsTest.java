package dev.northstar.ingest;

import dev.northstar.testkit.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Rate limits per write key, with a small bucket so the test can exhaust it. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@TestProfile(IngestLimitsTest.SmallBucket.class)
class IngestLimitsTest {

    public static class SmallBucket implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("northstar.ingest.rate-limit.burst", "3", "northstar.ingest.rate-limit.events-per-second", "0.5");
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

    @Test
    void anUnknownKeyIsRefusedBeforeAnyLimit() {
        // An unknown key is 401 once the registry is loaded (503 while it loads).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Bearer nsw_0123456789abcdef_unknown").contentType(ContentType.JSON)
                    .body(batch(3)).post("/v1/events").then().statusCode(401);
        }
    }
}
