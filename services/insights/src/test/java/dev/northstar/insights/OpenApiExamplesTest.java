package dev.northstar.insights;

import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.OpenApiExamples;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document describes every status code of the query API with an example that parses. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class OpenApiExamplesTest {

    @Test
    void everyDocumentedStatusOfEveryOperationHasAnExample() throws Exception {
        assertThat(OpenApiExamples.problems(OpenApiExamples.document(), "get", Map.of(
                "/v1/projects/{projectId}/features", List.of("200", "400", "401", "404", "503"),
                "/v1/projects/{projectId}/features/{feature}", List.of("200", "401", "404", "503"),
                "/v1/projects/{projectId}/features/{feature}/history", List.of("200", "401", "404", "503"),
                "/v1/projects/{projectId}/funnels", List.of("200", "401", "404", "503"),
                "/v1/projects/{projectId}/funnels/{funnel}", List.of("200", "401", "404", "503")))).isEmpty();
    }
}
