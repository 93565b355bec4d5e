package dev.northstar.model.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.northstar.model.fixtures.Fixtures;
import dev.northstar.model.json.NorthstarJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON Schema that producers in other languages validate against is checked against the
 * Java side in the build: it names exactly the producer-facing fields of {@link ProductEvent},
 * accepts every valid golden fixture, and refuses the invalid ones that a schema can express.
 */
class JsonSchemaAgreementTest {

    private static final String EVENT_SCHEMA = "/dev/northstar/model/schemas/v1/event.json";
    private static final String BATCH_SCHEMA = "/dev/northstar/model/schemas/v1/batch.json";
    /** What ingest adds, and what signal services write (transfers, ADR 0017); never sent by a producer. */
    private static final Set<String> ADDED_BY_INGEST = Set.of("projectId", "receivedAt", "clockCorrected",
            "transferred");

    private static JsonSchema schema(String resource) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(m -> m.mapPrefix("https://northstar.dev/schemas/",
                        "classpath:dev/northstar/model/schemas/")));
        return factory.getSchema(SchemaLocation.of("classpath:" + resource.substring(1)));
    }

    private static JsonNode json(byte[] bytes) throws IOException {
        return NorthstarJson.mapper().readTree(bytes);
    }

    static List<Fixtures.InvalidEvent> schemaExpressible() {
        return Fixtures.invalidEvents().stream().filter(f -> f.schemaRejects().equals("yes")).toList();
    }

    @Test
    void namesExactlyTheFieldsAProducerSends() throws IOException {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream(EVENT_SCHEMA)) {
            schema = NorthstarJson.mapper().readTree(in);
        }
        Set<String> inSchema = new TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(inSchema::add);
        Set<String> inRecord = Arrays.stream(ProductEvent.class.getRecordComponents())
                .map(RecordComponent::getName)
                .filter(n -> !ADDED_BY_INGEST.contains(n))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(inSchema).isEqualTo(inRecord);
    }

    @Test
    void acceptsEveryValidFixture() {
        JsonSchema schema = schema(EVENT_SCHEMA);
        Fixtures.files("events/v1/valid").forEach((name, bytes) -> {
            try {
                assertThat(schema.validate(json(bytes))).as(name).isEmpty();
            } catch (IOException e) {
                throw new AssertionError(name, e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaExpressible")
    void refusesTheInvalidFixturesASchemaCanExpress(Fixtures.InvalidEvent fixture) throws IOException {
        Set<ValidationMessage> errors = schema(EVENT_SCHEMA).validate(json(fixture.bytes()));

        assertThat(errors).as(fixture.name()).isNotEmpty();
    }

    @Test
    void theBatchSchemaTakesOneToFiveHundredEvents() throws IOException {
        JsonSchema batch = schema(BATCH_SCHEMA);
        String event = new String(Fixtures.files("events/v1/valid").get("feature-used.json"));

        assertThat(batch.validate(NorthstarJson.mapper().readTree("{\"events\":[" + event + "]}"))).isEmpty();
        assertThat(batch.validate(NorthstarJson.mapper().readTree("{\"events\":[]}"))).isNotEmpty();
        assertThat(batch.validate(NorthstarJson.mapper().readTree("{\"events\":[{\"eventId\":\"x\"}]}"))).isNotEmpty();
        String many = String.join(",", java.util.Collections.nCopies(501, event));
        assertThat(batch.validate(NorthstarJson.mapper().readTree("{\"events\":[" + many + "]}"))).isNotEmpty();
    }
}
