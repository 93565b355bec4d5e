package dev.northstar.ingest;

import dev.northstar.testkit.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * A project's feature catalogue as an operator uses it: declare, read, replace, remove, every bad
 * field named; then strict mode, where ingest rejects events for undeclared features one by one and
 * takes the others.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class FeatureCatalogueApiTest {

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer test-admin-token");
    }

    private static String createProject(String projectId) {
        return admin().contentType(ContentType.JSON).body("{\"projectId\":\"" + projectId + "\"}")
                .post("/v1/admin/projects").then().statusCode(201).extract().path("writeKey");
    }

    @Test
    void declaresReadsReplacesAndRemovesFeaturesAndNamesEveryBadField() {
        createProject("catalogued");
        String path = "/v1/admin/projects/catalogued/features/";
        admin().contentType(ContentType.JSON).body("""
                {"name": "Export to CSV", "description": "Download any table", "owner": "data-team",
                 "releasedAt": "2026-10-01", "status": "beta"}""").put(path + "export-csv")
                .then().statusCode(201).header("Location", containsString(path + "export-csv"))
                .body("feature", equalTo("export-csv")).body("status", equalTo("beta"))
                .body("releasedAt", equalTo("2026-10-01"));
        admin().contentType(ContentType.JSON).body("{}").put(path + "search").then().statusCode(201)
                .body("name", equalTo("search")).body("status", equalTo("ga")).body("releasedAt", nullValue());
        // Replaced: 200, and read right after on this instance.
        admin().contentType(ContentType.JSON).body("{\"name\": \"Export to CSV\", \"status\": \"ga\"}")
                .put(path + "export-csv").then().statusCode(200).body("status", equalTo("ga"));
        admin().get(path + "export-csv").then().statusCode(200).body("status", equalTo("ga"))
                .body("owner", nullValue());
        admin().get("/v1/admin/projects/catalogued/features").then().statusCode(200)
                .body("features.feature", contains("export-csv", "search"));

        for (String[] bad : new String[][] {
                {"{\"releasedAt\": \"last week\"}", "releasedAt: must be a date, e.g. 2026-10-01, not 'last week'"},
                {"{\"status\": \"alpha\"}", "status: must be one of beta, ga, deprecated, not 'alpha'"},
                {"{\"name\": \"" + "n".repeat(201) + "\"}", "name: must be at most 200 characters, got 201"},
                {"{\"owner\": 7}", "owner: must be a string"},
                {"{\"colour\": \"red\"}", "colour: unknown field"},
                {"[1]", "The body must be a JSON object"}}) {
            admin().contentType(ContentType.JSON).body(bad[0]).put(path + "report").then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString(bad[1]));
        }
        admin().contentType(ContentType.JSON).body("{}").put(path + "Not_A_Slug").then().statusCode(400)
                .body("detail", containsString("feature: must match"));
        admin().contentType(ContentType.JSON).body("{}").put("/v1/admin/projects/nobody/features/x").then()
                .statusCode(404).body("detail", equalTo("No project nobody."));
        given().contentType(ContentType.JSON).body("{}").put(path + "x").then().statusCode(401);

        admin().delete(path + "search").then().statusCode(204);
        admin().get(path + "search").then().statusCode(404)
                .body("detail", equalTo("Feature search is not declared in project catalogued."));
        admin().delete(path + "search").then().statusCode(404);
        admin().get("/v1/admin/projects/catalogued/features").then().statusCode(200).body("features", hasSize(1));
    }

    @Test
    void aStrictCatalogueRejectsEventsForUndeclaredFeaturesOneByOneAndAnOpenOneTakesThem() {
        String writeKey = createProject("strict-shop");
        admin().contentType(ContentType.JSON).body("{}").put("/v1/admin/projects/strict-shop/features/export")
                .then().statusCode(201);
        admin().get("/v1/admin/projects/strict-shop/settings").then().statusCode(200)
                .body("catalogue", equalTo("open"));
        admin().contentType(ContentType.JSON).body("{\"catalogue\": \"lenient\"}").put("/v1/admin/projects/strict-shop/settings")
                .then().statusCode(400).body("detail", equalTo("catalogue: must be strict or open, not 'lenient'"));
        admin().contentType(ContentType.JSON).body("{\"catalogue\": \"strict\"}").put("/v1/admin/projects/strict-shop/settings")
                .then().statusCode(200).body("catalogue", equalTo("strict"));

        String at = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String batch = "{\"events\": ["
                + event("feature_used", "\"feature\":\"export\"", at) + ","
                + event("feature_used", "\"feature\":\"mystery\"", at) + ","
                + event("funnel_step", "\"funnel\":\"signup\",\"step\":1", at) + ","
                + event("feature_failed", "\"feature\":\"mystery\"", at) + "]}";
        given().header("Authorization", "Bearer " + writeKey).contentType(ContentType.JSON).body(batch)
                .post("/v1/events").then().statusCode(202)
                .body("accepted", equalTo(2)).body("rejected", equalTo(2))
                .body("results.status", contains("ok", "rejected", "ok", "rejected"))
                .body("results[1].error", equalTo("events[1].feature: 'mystery' is not declared in the catalogue of "
                        + "project strict-shop, which is strict: declare it (PUT /v1/admin/projects/strict-shop/"
                        + "features/mystery) or set the catalogue to open"));

        admin().contentType(ContentType.JSON).body("{\"catalogue\": \"open\"}").put("/v1/admin/projects/strict-shop/settings")
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + writeKey).contentType(ContentType.JSON)
                .body("{\"events\": [" + event("feature_used", "\"feature\":\"mystery\"", at) + "]}")
                .post("/v1/events").then().statusCode(202).body("accepted", equalTo(1));
    }

    private static String event(String type, String fields, String at) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"userId\":\"u-1\"," + fields
                + ",\"occurredAt\":\"" + at + "\"}";
    }
}
