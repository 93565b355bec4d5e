package dev.northstar.ingest;

import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.OpenApiExamples;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document describes every status code of the public API with an example that parses. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class OpenApiExamplesTest {

    @Test
    void everyDocumentedStatusOfEveryOperationHasAnExample() throws Exception {
        assertThat(OpenApiExamples.problems(OpenApiExamples.document(), "post", Map.of(
                "/v1/events", List.of("202", "400", "401", "408", "413", "415", "429", "503"),
                "/v1/admin/projects", List.of("201", "400", "401", "409"),
                "/v1/admin/projects/{projectId}/keys/rotate", List.of("200", "401", "404")))).isEmpty();
    }
}
