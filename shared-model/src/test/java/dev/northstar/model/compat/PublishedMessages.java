package dev.northstar.model.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.event.EventBatchResult;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every message shape Northstar publishes, with its current schema: the producer-facing JSON
 * Schemas (hand-written, served by ingest) and the records of every topic and of the HTTP answer
 * (generated from the Java records).
 */
final class PublishedMessages {

    /** @param baseline the file under {@code compat/} holding the published version */
    record Message(String baseline, Supplier<JsonNode> current) {
        @Override
        public String toString() {
            return baseline;
        }
    }

    private PublishedMessages() {
    }

    static List<Message> all() {
        List<Message> messages = new ArrayList<>();
        messages.add(new Message("v1/event.json", () -> resource("/dev/northstar/model/schemas/v1/event.json")));
        messages.add(new Message("v1/batch.json", () -> resource("/dev/northstar/model/schemas/v1/batch.json")));
        messages.add(new Message("v1/batch-result.json", () -> RecordSchemas.describe(EventBatchResult.class)));
        for (Topic<?> topic : Topics.ALL) {
            String major = topic.name().substring(topic.name().lastIndexOf('.') + 1);
            messages.add(new Message(major + "/topic-" + topic.configKey() + ".json",
                    () -> RecordSchemas.describe(topic.valueType())));
        }
        return messages;
    }

    static JsonNode resource(String path) {
        try (InputStream in = PublishedMessages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No resource " + path);
            }
            return NorthstarJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
