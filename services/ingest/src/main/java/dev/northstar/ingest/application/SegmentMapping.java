package dev.northstar.ingest.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.northstar.platform.usecase.Refused;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Segment's HTTP Tracking API messages as Northstar events (docs/schemas.md, "Segment-compatible
 * intake"). {@code track} is {@code feature_used} with feature = {@code properties.feature} when
 * present, else the slug of the event name; the names {@code Feature Failed}, {@code Funnel Step} and
 * {@code Feedback Given} are those types with their properties; {@code identify} with both ids is
 * {@code user_identified}; {@code page}, {@code screen}, {@code group}, {@code alias} and an identify
 * without an anonymousId are accepted and ignored. {@code messageId} is the eventId, {@code timestamp}
 * (else {@code originalTimestamp}) the occurredAt; a batch's {@code sentAt} corrects the device's clock
 * as Northstar's own does. A message with neither time happened when it was sent (its own or the
 * batch's {@code sentAt}), else when it was received, as Segment defines it. What the mapping cannot read is left for the
 * event validator, so a bad message gets the same per-event message as a native event.
 */
public final class SegmentMapping {

    /** Message types Segment defines that carry nothing Northstar counts. */
    static final Set<String> IGNORED = Set.of("page", "screen", "group", "alias");

    /** A Segment payload as one Northstar batch, and how many messages were ignored. */
    public record Mapped(ObjectNode batch, int ignored, List<Integer> ignoredIndexes) {
    }

    private SegmentMapping() {
    }

    /** A {@code /v1/segment/batch} body: {@code {"batch": [...], "sentAt": ...}}. */
    public static Mapped batch(JsonNode body, Instant receivedAt) {
        if (body == null || !body.isObject() || !body.path("batch").isArray()) {
            throw Refused.invalid("batch: is required and must be an array of Segment messages");
        }
        return map(body.get("batch"), body.get("sentAt"), null, receivedAt);
    }

    /** A single message posted to {@code /v1/segment/track} or {@code /identify}: its type is the path's. */
    public static Mapped single(JsonNode message, String type, Instant receivedAt) {
        if (message == null || !message.isObject()) {
            throw Refused.invalid("The body must be a Segment " + type + " message (a JSON object)");
        }
        ArrayNode one = JsonNodeFactory.instance.arrayNode().add(message);
        return map(one, message.get("sentAt"), type, receivedAt);
    }

    private static Mapped map(JsonNode messages, JsonNode sentAt, String forcedType, Instant receivedAt) {
        JsonNode whenSent = sentAt != null && sentAt.isTextual() ? sentAt
                : JsonNodeFactory.instance.textNode(receivedAt.toString());
        ObjectNode batch = JsonNodeFactory.instance.objectNode();
        if (sentAt != null && sentAt.isTextual()) {
            batch.set("sentAt", sentAt);
        }
        ArrayNode events = batch.putArray("events");
        List<Integer> ignored = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String type = forcedType != null ? forcedType : message.path("type").asText("");
            ObjectNode event = event(message, type, whenSent);
            if (event == null) {
                ignored.add(i);
            } else {
                events.add(event);
            }
        }
        return new Mapped(batch, ignored.size(), List.copyOf(ignored));
    }

    /** The Northstar event of one message, or null when Segment defines it and Northstar ignores it. */
    static ObjectNode event(JsonNode message, String type, JsonNode whenSent) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        if (!message.isObject()) {
            return event; // the validator says what is wrong
        }
        copyText(message, "messageId", event, "eventId");
        copyText(message, "userId", event, "userId");
        copyText(message, "anonymousId", event, "anonymousId");
        JsonNode time = message.hasNonNull("timestamp") ? message.get("timestamp") : message.get("originalTimestamp");
        if (time != null && !time.isNull()) {
            event.set("occurredAt", time);
        } else {
            event.set("occurredAt", message.path("sentAt").isTextual() ? message.get("sentAt") : whenSent);
        }
        JsonNode properties = message.path("properties");
        switch (type) {
            case "track" -> {
                String name = message.path("event").asText("");
                switch (name) {
                    case "Feature Failed" -> {
                        event.put("type", "feature_failed");
                        copy(properties, "feature", event);
                        copy(properties, "errorCode", event);
                    }
                    case "Funnel Step" -> {
                        event.put("type", "funnel_step");
                        copy(properties, "funnel", event);
                        copy(properties, "step", event);
                    }
                    case "Feedback Given" -> {
                        event.put("type", "feedback_given");
                        copy(properties, "feature", event);
                        copy(properties, "rating", event);
                        copy(properties, "comment", event);
                    }
                    default -> {
                        event.put("type", "feature_used");
                        if (properties.hasNonNull("feature")) {
                            copy(properties, "feature", event);
                        } else {
                            event.put("feature", slug(name));
                        }
                    }
                }
            }
            case "identify" -> {
                if (!message.hasNonNull("anonymousId")) {
                    return null; // traits of a known user: nothing to link
                }
                event.put("type", "user_identified");
            }
            default -> {
                if (IGNORED.contains(type)) {
                    return null;
                }
                event.put("type", type); // unknown: the validator names the allowed types
            }
        }
        return event;
    }

    /** "Export Report (CSV)" → "export-report-csv": lower case, runs of other characters one hyphen, at most 64. */
    static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._]+", "-").replaceAll("^[-._]+|-+$", "");
        return slug.length() > 64 ? slug.substring(0, 64).replaceAll("-+$", "") : slug;
    }

    private static void copy(JsonNode from, String field, ObjectNode to) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(field, value);
        }
    }

    private static void copyText(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }
}
