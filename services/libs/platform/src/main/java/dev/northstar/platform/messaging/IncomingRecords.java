package dev.northstar.platform.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.event.EventValidator;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.event.StoredEventReader;
import dev.northstar.model.json.NorthstarJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads records of Northstar's topics into typed values. A record that cannot be read (bad
 * bytes, bad JSON, an invalid event) is dead-lettered and answered with empty, so one bad
 * message never stops a consumer.
 */
@ApplicationScoped
public class IncomingRecords {

    private final DeadLetters deadLetters;
    private final StoredEventReader reader = new StoredEventReader();

    public IncomingRecords(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /**
     * A product event from {@link dev.northstar.model.topic.Topics#EVENTS}. Ingest validated it; this
     * checks what counting relies on ({@link StoredEventReader}) and dead-letters what fails.
     */
    public Optional<ProductEvent> event(ConsumerRecord<String, byte[]> record) {
        Optional<JsonNode> node = tree(record);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        var outcome = reader.read(node.get(), record.key(), Instant.ofEpochMilli(record.timestamp()));
        if (outcome instanceof EventValidator.Invalid invalid) {
            deadLetters.send(record, DeadLetters.Reason.INVALID, invalid.error());
            return Optional.empty();
        }
        return Optional.of(((EventValidator.Valid) outcome).event());
    }

    /** A value of {@code type} (a snapshot or registry record). */
    public <T> Optional<T> value(ConsumerRecord<String, byte[]> record, Class<T> type) {
        if (record.value() == null) {
            return Optional.empty(); // a tombstone: nothing to read, nothing wrong
        }
        try {
            return Optional.of(NorthstarJson.mapper().readValue(record.value(), type));
        } catch (JsonProcessingException e) {
            deadLetters.send(record, DeadLetters.Reason.UNPARSEABLE, NorthstarJson.describe(e));
        } catch (IOException | RuntimeException e) {
            deadLetters.send(record, DeadLetters.Reason.UNPARSEABLE, e.getClass().getSimpleName());
        }
        return Optional.empty();
    }

    private Optional<JsonNode> tree(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            deadLetters.send(record, DeadLetters.Reason.UNPARSEABLE, "empty value");
            return Optional.empty();
        }
        try {
            return Optional.of(NorthstarJson.mapper().readTree(record.value()));
        } catch (JsonProcessingException e) {
            deadLetters.send(record, DeadLetters.Reason.UNPARSEABLE, NorthstarJson.describe(e));
        } catch (IOException | RuntimeException e) {
            deadLetters.send(record, DeadLetters.Reason.UNPARSEABLE, e.getClass().getSimpleName());
        }
        return Optional.empty();
    }
}
