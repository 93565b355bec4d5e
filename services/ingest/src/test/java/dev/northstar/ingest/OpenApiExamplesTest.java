package dev.northstar.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.testkit.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document describes every status code of the public API with an example that parses. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class OpenApiExamplesTest {

    @Test
    void everyDocumentedStatusOfEveryOperationHasAnExample() throws Exception {
        JsonNode document = NorthstarJson.mapper().readTree(
                given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asByteArray());
        Map<String, List<String>> expected = Map.of(
                "/v1/events", List.of("202", "400", "401", "408", "413", "415", "429", "503"),
                "/v1/admin/projects", List.of("201", "400", "401", "409"),
                "/v1/admin/projects/{projectId}/keys/rotate", List.of("200", "401", "404"));
        List<String> missing = new ArrayList<>();
        expected.forEach((path, statuses) -> {
            JsonNode responses = document.path("paths").path(path).path("post").path("responses");
            for (String status : statuses) {
                JsonNode examples = responses.path(status).path("content").elements().hasNext()
                        ? responses.path(status).path("content").elements().next().path("examples") : null;
                if (examples == null || !examples.elements().hasNext()) {
                    missing.add(path + " " + status);
                    continue;
                }
                examples.elements().forEachRemaining(example -> {
                    JsonNode value = example.path("value");
                    assertThat(value.isObject() || value.isTextual()).as(path + " " + status).isTrue();
                    JsonNode parsed = value.isTextual() ? parse(value.asText()) : value;
                    if (!status.startsWith("2")) {
                        assertThat(parsed.path("status").asText()).as(path + " " + status).isEqualTo(status);
                        assertThat(parsed.path("detail").asText()).isNotBlank();
                    }
                });
            }
        });
        assertThat(missing).as("statuses without an example").isEmpty();
    }

    private static JsonNode parse(String json) {
        try {
            return NorthstarJson.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError("example is not JSON: " + json, e);
        }
    }
}
