package dev.northstar.model.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.northstar.model.fixtures.Fixtures;
import dev.northstar.model.json.NorthstarJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumers' reader against the full validator: on every event ingest would store it reads the
 * same event, and every record that breaks what counting relies on is refused by both.
 */
class StoredEventReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final EventValidator VALIDATOR = new EventValidator(Clock.fixed(NOW, ZoneOffset.UTC));
    private static final StoredEventReader READER = new StoredEventReader();

    /** What consumers read of an event: everything but the properties, which no consumer uses. */
    private static ProductEvent counted(ProductEvent event) {
        return event.toBuilder().properties(Map.of()).build();
    }

    /** The key ingest gives a record: project and actor. */
    private static String key(JsonNode event) {
        if (event.path("type").asText().equals("user_identified")) {
            return "acme/" + event.path("anonymousId").asText();
        }
        JsonNode user = event.path("userId");
        return "acme/" + (user.isTextual() ? user.asText() : event.path("anonymousId").asText());
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return NorthstarJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events topic as ingest writes it: every valid golden event, accepted and stored. */
    static List<Map.Entry<String, JsonNode>> storedByIngest() {
        var context = new EventValidator.Context("acme", NOW, Optional.empty());
        return Fixtures.files("events/v1/valid").entrySet().stream()
                .map(f -> Map.entry(f.getKey(), (JsonNode) NorthstarJson.mapper().valueToTree(
                        ((EventValidator.Valid) VALIDATOR.validateJson(f.getValue(), "", context)).event())))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storedByIngest")
    void readsEveryEventIngestStoresAsTheFullValidatorDoes(Map.Entry<String, JsonNode> stored) {
        var full = VALIDATOR.validateStored(stored.getValue(), key(stored.getValue()), NOW);
        var read = READER.read(stored.getValue(), key(stored.getValue()), NOW);

        assertThat(full).isInstanceOf(EventValidator.Valid.class);
        assertThat(read).isInstanceOf(EventValidator.Valid.class);
        assertThat(((EventValidator.Valid) read).event())
                .isEqualTo(counted(((EventValidator.Valid) full).event()));
    }

    @Test
    void readsTheGoldenStoredRecordsAsTheFullValidatorDoes() {
        Map<String, byte[]> stored = Fixtures.files("events/v1/stored");
        assertThat(stored).isNotEmpty();
        stored.forEach((name, bytes) -> {
            var full = (EventValidator.Valid) VALIDATOR.validateStored(tree(bytes), key(tree(bytes)), NOW);
            var read = (EventValidator.Valid) READER.read(tree(bytes), key(tree(bytes)), NOW);
            assertThat(read.event()).as(name).isEqualTo(counted(full.event()));
        });
    }

    @Test
    void withoutAProjectIdOrReceivedAtInTheBodyTheRecordKeyAndTimestampAreUsed() {
        ObjectNode node = (ObjectNode) tree(Fixtures.files("events/v1/stored").get("feature-used.json"));
        node.remove("projectId");
        node.remove("receivedAt");

        ProductEvent event = ((EventValidator.Valid) READER.read(node, key(node), NOW)).event();

        assertThat(event.projectId()).isEqualTo("acme");
        assertThat(event.receivedAt()).isEqualTo(NOW);
    }

    record Corruption(String name, String field, Consumer<ObjectNode> change) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Corruption> corruptions() {
        return List.of(
                new Corruption("no eventId", "eventId", n -> n.remove("eventId")),
                new Corruption("numeric eventId", "eventId", n -> n.put("eventId", 7)),
                new Corruption("empty eventId", "eventId", n -> n.put("eventId", "")),
                new Corruption("unknown type", "type", n -> n.put("type", "feature_clicked")),
                new Corruption("no type", "type", n -> n.remove("type")),
                new Corruption("no actor", "userId", n -> n.remove("userId")),
                new Corruption("numeric userId", "userId", n -> n.put("userId", 42)),
                new Corruption("no feature", "feature", n -> n.remove("feature")),
                new Corruption("feature not a slug", "feature", n -> n.put("feature", "Export/CSV")),
                new Corruption("no occurredAt", "occurredAt", n -> n.remove("occurredAt")),
                new Corruption("occurredAt not a time", "occurredAt", n -> n.put("occurredAt", "yesterday")),
                new Corruption("receivedAt not a time", "receivedAt", n -> n.put("receivedAt", "soon")),
                new Corruption("projectId of another key", "projectId", n -> n.put("projectId", "other")),
                new Corruption("projectId numeric", "projectId", n -> n.put("projectId", 5)),
                new Corruption("schema version 2", "schemaVersion", n -> n.put("schemaVersion", "2.0")),
                new Corruption("funnel step without step", "step",
                        n -> n.put("type", "funnel_step").put("funnel", "checkout")),
                new Corruption("funnel step 0", "step",
                        n -> n.put("type", "funnel_step").put("funnel", "checkout").put("step", 0)),
                new Corruption("funnel step as text", "step",
                        n -> n.put("type", "funnel_step").put("funnel", "checkout").put("step", "two")),
                new Corruption("funnel step without funnel", "funnel",
                        n -> n.put("type", "funnel_step").put("step", 2)),
                new Corruption("feedback without rating", "rating", n -> n.put("type", "feedback_given")),
                new Corruption("rating 6", "rating", n -> n.put("type", "feedback_given").put("rating", 6)),
                new Corruption("rating 4.5", "rating", n -> n.put("type", "feedback_given").put("rating", 4.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void aRecordCountingCannotRelyOnIsRefusedByBothNamingTheField(Corruption corruption) {
        ObjectNode node = (ObjectNode) tree(Fixtures.files("events/v1/stored").get("feature-used.json"));
        node.remove("properties");
        corruption.change().accept(node);

        var full = VALIDATOR.validateStored(node, key(node), NOW);
        var read = READER.read(node, key(node), NOW);

        assertThat(full).as("full validator").isInstanceOf(EventValidator.Invalid.class);
        assertThat(read).as("reader").isInstanceOf(EventValidator.Invalid.class);
        assertThat(((EventValidator.Invalid) read).error()).startsWith(corruption.field() + ":");
    }

    @Test
    void notAnObjectIsRefused() {
        var read = READER.read(tree("[1,2]".getBytes()), key(tree("[1,2]".getBytes())), NOW);

        assertThat(read).isEqualTo(new EventValidator.Invalid(null, "event: must be a JSON object"));
    }

    @Test
    void whatIngestAlreadyCheckedIsNotCheckedAgain() {
        ObjectNode node = (ObjectNode) tree(Fixtures.files("events/v1/stored").get("feature-used.json"));
        node.put("eventId", "x".repeat(65)).put("comment", "c".repeat(3000));

        assertThat(VALIDATOR.validateStored(node, key(node), NOW)).isInstanceOf(EventValidator.Invalid.class);
        assertThat(READER.read(node, key(node), NOW)).isInstanceOf(EventValidator.Valid.class);
    }

    @Test
    void aRecordNotKeyedByItsProjectAndActorIsRefusedByBothNamingTheKey() {
        ObjectNode node = (ObjectNode) tree(Fixtures.files("events/v1/stored").get("feature-used.json"));
        node.remove("properties");
        String actor = node.path("userId").isTextual() ? node.get("userId").asText() : node.get("anonymousId").asText();

        for (String wrong : new String[] {null, "acme", "acme/someone-else"}) {
            var full = VALIDATOR.validateStored(node, wrong, NOW);
            var read = READER.read(node, wrong, NOW);

            assertThat(full).as("full validator, key " + wrong).isInstanceOf(EventValidator.Invalid.class);
            assertThat(read).as("reader, key " + wrong).isInstanceOf(EventValidator.Invalid.class);
            assertThat(((EventValidator.Invalid) read).error()).as("key " + wrong)
                    .isEqualTo(((EventValidator.Invalid) full).error())
                    .startsWith("key: must be projectId/actor ('acme/" + actor + "')");
        }
    }
}
