package dev.northstar.notifier;

import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.OpenApiExamples;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document describes every status code of the webhooks API with an example that parses. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class OpenApiExamplesTest {

    private static final String WEBHOOKS = "/v1/admin/projects/{projectId}/webhooks";

    @Test
    void everyDocumentedStatusOfEveryOperationHasAnExample() throws Exception {
        var document = OpenApiExamples.document();
        assertThat(OpenApiExamples.problems(document, "post", Map.of(WEBHOOKS, List.of("201", "400", "401", "404"))))
                .isEmpty();
        assertThat(OpenApiExamples.problems(document, "get", Map.of(
                WEBHOOKS, List.of("200", "401", "404"),
                WEBHOOKS + "/{webhookId}", List.of("200", "401", "404"),
                WEBHOOKS + "/{webhookId}/deliveries", List.of("200", "401", "404")))).isEmpty();
    }
}
