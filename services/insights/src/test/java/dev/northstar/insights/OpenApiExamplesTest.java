package dev.northstar.insights;

import dev.northstar.model.json.NorthstarJson;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.OpenApiExamples;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document describes every status code of the query API with an example that parses. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class OpenApiExamplesTest {

    @Test
    void everyDocumentedStatusOfEveryOperationHasAnExample() throws Exception {
        var document = NorthstarJson.mapper().readTree(
                given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asByteArray());
        assertThat(OpenApiExamples.problems(document, "get", Map.of(
                "/v1/projects/{projectId}/features", List.of("200", "400", "401", "404", "503"),
                "/v1/projects/{projectId}/features/{feature}", List.of("200", "401", "404", "503"),
                "/v1/projects/{projectId}/funnels", List.of("200", "401", "404", "503"),
                "/v1/projects/{projectId}/funnels/{funnel}", List.of("200", "401", "404", "503")))).isEmpty();
    }
}
