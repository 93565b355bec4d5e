package dev.northstar.model.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.topic.Topics;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads an event from {@link dev.northstar.model.topic.Topics#EVENTS} for a consumer. Ingest has
 * validated it fully ({@link EventValidator}); this checks only what a consumer relies on to count
 * it correctly, so a record that never passed ingest (written straight to Kafka, or damaged) is
 * refused instead of counted wrong or crashing a ledger:
 * <ul>
 *   <li>a JSON object of schema major version 1 (or none);</li>
 *   <li>the record key: {@code projectId/actor} ({@link dev.northstar.model.topic.Topics#eventKey}), so that
 *       every event of an actor is on one partition and partitions hold disjoint actors;</li>
 *   <li>{@code projectId}: from the body or the record key, equal when both are given, a slug;</li>
 *   <li>{@code eventId}: a non-empty string (the dedup key); {@code type}: a known type;</li>
 *   <li>{@code userId} or {@code anonymousId}: a non-empty string (the actor);</li>
 *   <li>{@code feature} where the type needs it, {@code funnel} for {@code funnel_step}: slugs;</li>
 *   <li>{@code step} 1–50 and {@code rating} 1–5 where the type needs them (ledgers index by them);</li>
 *   <li>{@code occurredAt} (and {@code receivedAt}, defaulting to the record's timestamp): instants.</li>
 * </ul>
 * Not checked again: id and actor lengths and characters, property limits, comment and error-code
 * lengths, clock correction (ingest applied it; the stored {@code occurredAt} is the event time).
 * {@code properties} are not read: no consumer uses them. Thread-safe.
 */
public final class StoredEventReader {

    private volatile ParsedInstant lastReceivedAt;

    /** Thrown inside reading to stop at the first problem of a record. */
    private static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The event of one record, or what is wrong with it.
     *
     * @param recordKey       the record's key ({@code projectId/actor})
     * @param recordTimestamp the record's timestamp, the receive time when the body has none
     */
    public EventValidator.Outcome read(JsonNode node, String recordKey, Instant recordTimestamp) {
        String eventId = node != null && node.path("eventId").isTextual() ? node.get("eventId").asText() : null;
        try {
            return new EventValidator.Valid(event(node, recordKey, recordTimestamp));
        } catch (Problem p) {
            return new EventValidator.Invalid(eventId, p.getMessage());
        }
    }

    private ProductEvent event(JsonNode node, String recordKey, Instant recordTimestamp) {
        if (node == null || !node.isObject()) {
            throw new Problem("event: must be a JSON object");
        }
        // In the full validator's order, so a record breaking several rules is reported the same way.
        String projectId = projectId(node.get("projectId"), recordKey);
        Instant receivedAt = receivedAt(node.get("receivedAt"), recordTimestamp);
        checkSchemaVersion(node.get("schemaVersion"));
        String eventId = required(node, "eventId");
        EventType type = EventType.fromWireName(node.path("type").asText(""))
                .orElseThrow(() -> new Problem("type: must be one of " + EventType.NAMES));
        String userId = optional(node, "userId");
        String anonymousId = optional(node, "anonymousId");
        if (userId == null && anonymousId == null) {
            throw new Problem("userId: userId or anonymousId is required");
        }
        boolean transferred = node.path("transferred").asBoolean(false);
        if (type == EventType.USER_IDENTIFIED && (userId == null || anonymousId == null || userId.equals(anonymousId))) {
            throw new Problem((anonymousId == null ? "anonymousId" : userId == null ? "userId" : "anonymousId")
                    + ": user_identified needs both a userId and a different anonymousId");
        }
        checkKey(recordKey, projectId, type == EventType.USER_IDENTIFIED && !transferred ? anonymousId
                : userId != null ? userId : anonymousId);
        ProductEvent.Builder event = ProductEvent.builder()
                .projectId(projectId)
                .eventId(eventId)
                .type(type)
                .userId(userId)
                .anonymousId(anonymousId)
                .feature(type.requiresFeature() ? slug(required(node, "feature"), "feature") : optional(node, "feature"))
                .occurredAt(instant(required(node, "occurredAt"), "occurredAt"))
                .receivedAt(receivedAt)
                .clockCorrected(node.path("clockCorrected").asBoolean(false))
                .errorCode(optional(node, "errorCode"))
                .comment(optional(node, "comment"))
                .transferred(transferred ? Boolean.TRUE : null);
        if (node.hasNonNull("schemaVersion")) {
            event.schemaVersion(node.get("schemaVersion").asText());
        }
        if (type == EventType.FUNNEL_STEP) {
            event.funnel(slug(required(node, "funnel"), "funnel"))
                    .step(integer(node, "step", EventValidator.MIN_STEP, EventValidator.MAX_STEP));
        }
        if (type == EventType.FEEDBACK_GIVEN) {
            event.rating(integer(node, "rating", EventValidator.MIN_RATING, EventValidator.MAX_RATING));
        }
        return event.build();
    }

    private static void checkSchemaVersion(JsonNode version) {
        if (version == null || version.isNull()) {
            return;
        }
        String text = version.asText();
        String major = text.contains(".") ? text.substring(0, text.indexOf('.')) : text;
        if (!major.equals(String.valueOf(EventValidator.SUPPORTED_MAJOR_VERSION))) {
            throw new Problem("schemaVersion: major version " + major + " is not read from this topic (1.x)");
        }
    }

    /** The record key must be the event's own: project and actor (events.v2, ADR 0015). */
    static void checkKey(String recordKey, String projectId, String actor) {
        if (recordKey == null || !recordKey.equals(Topics.eventKey(projectId, actor))) {
            throw new Problem(keyProblem(recordKey, projectId, actor));
        }
    }

    static String keyProblem(String recordKey, String projectId, String actor) {
        return "key: must be projectId/actor ('" + Topics.eventKey(projectId, actor) + "'), not "
                + (recordKey == null ? "none" : "'" + recordKey + "'");
    }

    private static String projectId(JsonNode body, String recordKey) {
        String projectId = recordKey == null ? null : Topics.projectOfKey(recordKey);
        recordKey = projectId;
        if (body != null && !body.isNull()) {
            if (!body.isTextual()) {
                throw new Problem("projectId: must be a string");
            }
            if (recordKey != null && !recordKey.equals(body.asText())) {
                throw new Problem("projectId: does not match the record key");
            }
            projectId = body.asText();
        }
        if (!Slug.isValid(projectId)) {
            throw new Problem("projectId: must match " + Slug.PATTERN);
        }
        return projectId;
    }

    private static String required(JsonNode node, String field) {
        String value = optional(node, field);
        if (value == null) {
            throw new Problem(field + ": is required");
        }
        return value;
    }

    /** A non-empty string field, or null when absent or null; anything else is a problem. */
    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new Problem(field + ": must be a non-empty string");
        }
        return value.asText();
    }

    private static String slug(String value, String field) {
        if (!Slug.isValid(value)) {
            throw new Problem(field + ": must match " + Slug.PATTERN);
        }
        return value;
    }

    private static int integer(JsonNode node, String field, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToInt()
                || value.asInt() < min || value.asInt() > max) {
            throw new Problem(field + ": must be an integer from " + min + " to " + max);
        }
        return value.asInt();
    }

    private static Instant instant(String text, String field) {
        try {
            return EventSyntax.parseInstant(text);
        } catch (DateTimeParseException e) {
            throw new Problem(field + ": must be an ISO-8601 instant with offset");
        }
    }

    /**
     * Ingest stamps one receivedAt per HTTP batch, so consecutive stored events mostly carry the same
     * text: the last one parsed is remembered (an immutable pair, so threads may race on it harmlessly).
     */
    private Instant receivedAt(JsonNode value, Instant recordTimestamp) {
        if (value == null || value.isNull()) {
            return recordTimestamp;
        }
        if (!value.isTextual()) {
            throw new Problem("receivedAt: must be an ISO-8601 instant with offset");
        }
        String text = value.asText();
        ParsedInstant last = lastReceivedAt;
        if (last != null && last.text().equals(text)) {
            return last.instant();
        }
        Instant instant = instant(text, "receivedAt");
        lastReceivedAt = new ParsedInstant(text, instant);
        return instant;
    }

    private record ParsedInstant(String text, Instant instant) {
    }
}
