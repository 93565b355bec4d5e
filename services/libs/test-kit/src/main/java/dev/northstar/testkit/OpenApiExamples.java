package dev.northstar.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks an OpenAPI document: every documented status of the given operations has an example that parses. */
public final class OpenApiExamples {

    private OpenApiExamples() {
    }

    /** The OpenAPI document ({@code /q/openapi} on the management port, as JSON) of the service under test. */
    public static JsonNode document() throws java.io.IOException {
        return NorthstarJson.mapper().readTree(Management.given().accept("application/json")
                .get("/q/openapi").then().statusCode(200).extract().asByteArray());
    }

    /**
     * @param document   the service's {@code /q/openapi} as JSON
     * @param method     {@code get}, {@code post}, ...
     * @param statuses   per path, the statuses that must be documented with an example
     * @return what is missing or wrong, as {@code "path status: why"}; empty when all is well
     */
    public static List<String> problems(JsonNode document, String method, Map<String, List<String>> statuses) {
        List<String> problems = new ArrayList<>();
        statuses.forEach((path, codes) -> {
            JsonNode responses = document.path("paths").path(path).path(method).path("responses");
            for (String status : codes) {
                JsonNode content = responses.path(status).path("content");
                JsonNode examples = content.elements().hasNext() ? content.elements().next().path("examples") : null;
                if (examples == null || !examples.elements().hasNext()) {
                    problems.add(path + " " + status + ": no example");
                    continue;
                }
                examples.elements().forEachRemaining(example -> {
                    JsonNode value = example.path("value");
                    JsonNode parsed = value.isTextual() ? parse(value.asText()) : value;
                    if (parsed == null || !parsed.isObject()) {
                        problems.add(path + " " + status + ": example is not a JSON object");
                    } else if (!status.startsWith("2") && (!parsed.path("status").asText().equals(status)
                            || parsed.path("detail").asText().isBlank())) {
                        problems.add(path + " " + status + ": example is not a problem with this status and a detail");
                    }
                });
            }
        });
        return problems;
    }

    private static JsonNode parse(String json) {
        try {
            return NorthstarJson.mapper().readTree(json);
        } catch (Exception e) {
            return null;
        }
    }
}
