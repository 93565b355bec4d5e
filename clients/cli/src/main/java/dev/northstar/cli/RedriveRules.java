package dev.northstar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.event.EventValidator;
import dev.northstar.model.event.StoredEventReader;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.snapshot.Sliced;
import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a re-drive may write back, checked before anything is written: a dead letter is a record any
 * service principal may have written, while the re-drive writes with an admin's rights. So only to a topic
 * the catalogue declares re-drivable ({@link Topics#REDRIVABLE}), only a payload that topic's reader
 * accepts, and only under the key its body implies (the rule each consumer applies): an event keyed by its
 * own project and actor, a snapshot by its own project and feature (and slice).
 */
final class RedriveRules {

    private static final StoredEventReader EVENTS = new StoredEventReader();

    private RedriveRules() {
    }

    /** Why this record may not be written to {@code topic} under {@code key}; empty when it may. */
    static Optional<String> refusal(String topic, String key, byte[] payload) {
        Optional<Topic<?>> target = Topics.REDRIVABLE.stream().filter(t -> t.name().equals(topic)).findFirst();
        if (target.isEmpty()) {
            return Optional.of("its source topic " + topic + " is not re-drivable (only "
                    + Topics.REDRIVABLE.stream().map(Topic::name).collect(Collectors.joining(", ")) + ")");
        }
        if (payload == null) {
            return Optional.of("it has no payload (a tombstone would delete what is there)");
        }
        if (key == null) {
            return Optional.of("it has no key");
        }
        JsonNode node;
        try {
            node = NorthstarJson.mapper().readTree(payload);
        } catch (IOException e) {
            return Optional.of("its payload is not JSON (" + e.getClass().getSimpleName() + "): " + topic
                    + "'s reader would refuse it again");
        }
        if (target.get() == Topics.EVENTS) {
            var outcome = EVENTS.read(node, key, Instant.now());
            return outcome instanceof EventValidator.Invalid invalid
                    ? Optional.of("the events topic's reader refuses it: " + invalid.error()) : Optional.empty();
        }
        try {
            Object snapshot = NorthstarJson.mapper().treeToValue(node, target.get().valueType());
            if (!(snapshot instanceof Sliced<?> slice)) {
                throw new IllegalStateException("a re-drivable topic whose records are not slices: " + topic);
            }
            String expected = Sliced.recordKey(slice);
            return expected.equals(key) ? Optional.empty()
                    : Optional.of("its key '" + key + "' is not the one its body implies ('" + expected + "')");
        } catch (IOException | RuntimeException e) {
            return Optional.of(topic + "'s reader refuses it: " + e.getMessage());
        }
    }
}
