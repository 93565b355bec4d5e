package dev.northstar.model.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one validator of schema v1 events, used by ingest for HTTP batches and by consumers for
 * records that arrive straight on Kafka. It turns untyped JSON into a {@link ProductEvent} or
 * into an error that names the field and what is wrong, for example
 * {@code events[3].feature: must match [a-z0-9][a-z0-9._-]{0,63}}.
 *
 * <p>Unknown fields are ignored (forward compatibility). It also corrects device clocks: with a
 * batch-level {@code sentAt}, event time = receivedAt − (sentAt − occurredAt); an event time
 * more than {@link #MAX_FUTURE_SKEW} ahead of the server clock becomes receivedAt and the event
 * is marked clock-corrected.
 */
public final class EventValidator {

    public static final String ID_PATTERN_TEXT = "[A-Za-z0-9._:-]{1,64}";
    public static final String SLUG_PATTERN_TEXT = Slug.PATTERN;
    public static final int MAX_ACTOR_LENGTH = 128;
    public static final int MAX_PROPERTIES = 50;
    public static final int MAX_PROPERTY_KEY_LENGTH = 128;
    public static final int MAX_PROPERTY_VALUE_BYTES = 1024;
    public static final int MAX_ERROR_CODE_LENGTH = 128;
    public static final int MAX_COMMENT_LENGTH = 2000;
    public static final int MIN_STEP = 1;
    public static final int MAX_STEP = 50;
    public static final int MIN_RATING = 1;
    public static final int MAX_RATING = 5;
    public static final Duration MAX_FUTURE_SKEW = Duration.ofHours(23);
    /** The earliest {@code occurredAt} and {@code sentAt} a producer may send (and an event time after correction). */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /**
     * The first {@code occurredAt} and {@code sentAt} refused as implausible. Times up to it but more than
     * {@link #MAX_FUTURE_SKEW} ahead of the server's clock are corrected, not refused (a device's clock).
     */
    public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    public static final int SUPPORTED_MAJOR_VERSION = 1;

    private final Clock clock;
    private ParsedInstant lastReceivedAt;

    public EventValidator(Clock clock) {
        this.clock = clock;
    }

    /**
     * Where an event comes from: the project its key belongs to, when it was received, and the
     * batch's {@code sentAt} when the producer gave one.
     */
    public record Context(String projectId, Instant receivedAt, Optional<Instant> sentAt) {
    }

    /** The outcome of validating one event. */
    public sealed interface Outcome permits Valid, Invalid {
    }

    public record Valid(ProductEvent event) implements Outcome {
    }

    /** @param eventId the event's id when it could be read, else {@code null} */
    public record Invalid(String eventId, String error) implements Outcome {
    }

    /** Thrown inside validation to stop at the first problem of an event. */
    private static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Validates one producer event.
     *
     * @param path where the event sits in its document, used as the error prefix
     *             ({@code events[3]}); empty for a bare event
     */
    public Outcome validate(JsonNode node, String path, Context context) {
        return validate(node, path, context, true);
    }

    /**
     * @param fromProducer whether the event comes from a producer now (its times must be plausible) rather than
     *                     from the events topic (what an earlier ingest accepted is read as it was written)
     */
    private Outcome validate(JsonNode node, String path, Context context, boolean fromProducer) {
        String prefix = path == null || path.isEmpty() ? "" : path + ".";
        String eventId = node != null && node.isObject() && node.path("eventId").isTextual()
                ? node.get("eventId").asText() : null;
        try {
            return new Valid(parse(node, prefix, path, context, fromProducer));
        } catch (Problem | IllegalTimestamp p) {
            return new Invalid(eventId, p.getMessage());
        }
    }

    /**
     * Parses one event document with the bounded mapper and validates it; a document that is not
     * JSON answers {@code Malformed JSON: line 1, column 17: ...}.
     */
    public Outcome validateJson(byte[] json, String path, Context context) {
        try {
            JsonNode node = json.length == 0 ? null : NorthstarJson.mapper().readTree(json);
            if (node == null || node.isMissingNode()) {
                return new Invalid(null, "Malformed JSON: the document is empty");
            }
            return validate(node, path, context);
        } catch (JsonProcessingException e) {
            return new Invalid(null, NorthstarJson.describe(e));
        } catch (IOException e) {
            return new Invalid(null, "Malformed JSON: " + e.getMessage());
        }
    }

    /**
     * Validates an event read straight from {@link dev.northstar.model.topic.Topics#EVENTS}: the project comes from
     * the record key ({@code projectId/actor}, which must be the event's own) and must agree with the body's
     * {@code projectId} when one is given;
     * {@code receivedAt} defaults to the record's timestamp.
     */
    public Outcome validateStored(JsonNode node, String recordKey, Instant recordTimestamp) {
        if (node == null || !node.isObject()) {
            return new Invalid(null, "event: must be a JSON object");
        }
        JsonNode project = node.get("projectId");
        String keyProject = recordKey == null ? null : dev.northstar.model.topic.Topics.projectOfKey(recordKey);
        String projectId = keyProject;
        if (project != null && !project.isNull()) {
            if (!project.isTextual()) {
                return new Invalid(null, "projectId: must be a string");
            }
            if (keyProject != null && !keyProject.equals(project.asText())) {
                return new Invalid(null, "projectId: does not match the record key");
            }
            projectId = project.asText();
        }
        if (projectId == null || !EventSyntax.isSlug(projectId)) {
            return new Invalid(null, "projectId: must match " + SLUG_PATTERN_TEXT);
        }
        Instant receivedAt = recordTimestamp;
        JsonNode received = node.get("receivedAt");
        if (received != null && received.isTextual()) {
            try {
                receivedAt = receivedAt(received.asText());
            } catch (DateTimeParseException e) {
                return new Invalid(null, "receivedAt: must be an ISO-8601 instant with offset");
            }
        }
        Outcome outcome = validate(node, "", new Context(projectId, receivedAt, Optional.empty()), false);
        if (outcome instanceof Valid valid && node.path("schemaVersion").isTextual()) {
            // What ingest wrote then: a stored event keeps its own version.
            outcome = new Valid(valid.event().toBuilder().schemaVersion(node.get("schemaVersion").asText()).build());
        }
        if (outcome instanceof Valid valid && node.path("transferred").asBoolean(false)) {
            outcome = new Valid(valid.event().toBuilder().transferred(true).build());
        }
        if (outcome instanceof Valid valid
                && !dev.northstar.model.topic.Topics.eventKey(projectId, valid.event().keyActor()).equals(recordKey)) {
            return new Invalid(valid.event().eventId(),
                    StoredEventReader.keyProblem(recordKey, projectId, valid.event().keyActor()));
        }
        if (outcome instanceof Valid valid && node.path("clockCorrected").asBoolean(false) && !valid.event().clockCorrected()) {
            return new Valid(valid.event().toBuilder().clockCorrected(true).build());
        }
        return outcome;
    }

    /**
     * Ingest stamps one receivedAt per HTTP batch, so consecutive stored events mostly carry the same
     * text: the last one parsed is remembered (an immutable pair, so threads may race on it harmlessly).
     */
    private Instant receivedAt(String text) {
        ParsedInstant last = lastReceivedAt;
        if (last != null && last.text().equals(text)) {
            return last.instant();
        }
        Instant instant = EventSyntax.parseInstant(text);
        lastReceivedAt = new ParsedInstant(text, instant);
        return instant;
    }

    private record ParsedInstant(String text, Instant instant) {
    }

    private ProductEvent parse(JsonNode node, String prefix, String path, Context context, boolean fromProducer) {
        if (node == null || !node.isObject()) {
            throw new Problem((path == null || path.isEmpty() ? "event" : path) + ": must be a JSON object");
        }
        checkSchemaVersion(node, prefix);
        String eventId = requiredString(node, prefix, "eventId");
        if (!EventSyntax.isId(eventId)) {
            throw new Problem(prefix + "eventId: must be 1 to 64 characters of " + ID_PATTERN_TEXT.replace("{1,64}", ""));
        }
        String typeName = requiredString(node, prefix, "type");
        EventType type = EventType.fromWireName(typeName).orElseThrow(() -> new Problem(prefix
                + "type: must be one of " + EventType.NAMES));

        String userId = optionalString(node, prefix, "userId");
        String anonymousId = optionalString(node, prefix, "anonymousId");
        if (userId == null && anonymousId == null) {
            throw new Problem(prefix + "userId: userId or anonymousId is required");
        }
        checkActor(userId, prefix, "userId");
        checkActor(anonymousId, prefix, "anonymousId");
        if (type == EventType.USER_IDENTIFIED) {
            if (anonymousId == null) {
                throw new Problem(prefix + "anonymousId: is required for user_identified (the id used before sign-in)");
            }
            if (userId == null) {
                throw new Problem(prefix + "userId: is required for user_identified (the id after sign-in)");
            }
            if (userId.equals(anonymousId)) {
                throw new Problem(prefix + "anonymousId: must differ from userId for user_identified");
            }
        }

        String feature = optionalString(node, prefix, "feature");
        if (feature == null && type.requiresFeature()) {
            throw new Problem(prefix + "feature: is required for " + type.wireName());
        }
        if (feature != null) {
            checkSlug(feature, prefix, "feature");
        }

        String occurredText = requiredString(node, prefix, "occurredAt");
        Instant occurredAt = fromProducer ? parseInstant(occurredText, prefix + "occurredAt")
                : anyInstant(occurredText, prefix + "occurredAt");
        Map<String, Object> properties = properties(node, prefix);

        String funnel = optionalString(node, prefix, "funnel");
        Integer step = optionalInt(node, prefix, "step", MIN_STEP, MAX_STEP);
        String errorCode = optionalString(node, prefix, "errorCode");
        Integer rating = optionalInt(node, prefix, "rating", MIN_RATING, MAX_RATING);
        String comment = optionalString(node, prefix, "comment");

        onlyFor(type, EventType.FUNNEL_STEP, funnel, prefix, "funnel");
        onlyFor(type, EventType.FUNNEL_STEP, step, prefix, "step");
        onlyFor(type, EventType.FEATURE_FAILED, errorCode, prefix, "errorCode");
        onlyFor(type, EventType.FEEDBACK_GIVEN, rating, prefix, "rating");
        onlyFor(type, EventType.FEEDBACK_GIVEN, comment, prefix, "comment");
        if (type == EventType.FUNNEL_STEP) {
            if (funnel == null) {
                throw new Problem(prefix + "funnel: is required for funnel_step");
            }
            checkSlug(funnel, prefix, "funnel");
            if (step == null) {
                throw new Problem(prefix + "step: is required for funnel_step (an integer from 1 to 50)");
            }
        }
        if (errorCode != null && (errorCode.isEmpty() || errorCode.length() > MAX_ERROR_CODE_LENGTH)) {
            throw new Problem(prefix + "errorCode: must be 1 to " + MAX_ERROR_CODE_LENGTH + " characters");
        }
        if (type == EventType.FEEDBACK_GIVEN && rating == null) {
            throw new Problem(prefix + "rating: is required for feedback_given (an integer from 1 to 5)");
        }
        if (comment != null && comment.codePointCount(0, comment.length()) > MAX_COMMENT_LENGTH) {
            throw new Problem(prefix + "comment: must be at most " + MAX_COMMENT_LENGTH + " characters");
        }

        boolean clockCorrected = false;
        Instant eventTime = occurredAt;
        if (context.sentAt().isPresent()) {
            // Both within [EARLIEST, LATEST) (a sentAt is parsed by parseInstant): no overflow here.
            eventTime = context.receivedAt().minus(Duration.between(occurredAt, context.sentAt().get()));
            if (eventTime.isBefore(EARLIEST)) {
                throw new Problem(prefix + "occurredAt: corrected by the batch's sentAt (" + context.sentAt().get()
                        + ") for the device's clock, it falls before " + EARLIEST + "; times must be from " + EARLIEST);
            }
        }
        if (eventTime.isAfter(clock.instant().plus(MAX_FUTURE_SKEW))) {
            eventTime = context.receivedAt();
            clockCorrected = true;
        }
        return ProductEvent.builder().eventId(eventId).type(type).projectId(context.projectId()).userId(userId)
                .anonymousId(anonymousId).feature(feature).occurredAt(eventTime).receivedAt(context.receivedAt())
                .clockCorrected(clockCorrected).properties(properties).funnel(funnel).step(step).errorCode(errorCode)
                .rating(rating).comment(comment).build();
    }

    /**
     * Parses a producer's batch-level or event-level timestamp, which must be plausible: from {@link #EARLIEST}
     * to before {@link #LATEST}. The error names {@code field}.
     */
    public static Instant parseInstant(String text, String field) {
        Instant instant = anyInstant(text, field);
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw new IllegalTimestamp(field + ": must be from " + EARLIEST + " to before " + LATEST + ", got " + text);
        }
        return instant;
    }

    private static Instant anyInstant(String text, String field) {
        try {
            return EventSyntax.parseInstant(text);
        } catch (java.time.DateTimeException e) {
            throw new IllegalTimestamp(field + ": must be an ISO-8601 instant with offset, e.g. 2026-11-24T12:00:00Z");
        }
    }

    /** A timestamp that is not an ISO-8601 instant with offset. */
    public static final class IllegalTimestamp extends RuntimeException {
        IllegalTimestamp(String message) {
            super(message, null, false, false);
        }
    }

    private static void checkSchemaVersion(JsonNode node, String prefix) {
        JsonNode version = node.get("schemaVersion");
        if (version == null || version.isNull()) {
            return;
        }
        if (!version.isTextual() && !version.isNumber()) {
            throw new Problem(prefix + "schemaVersion: must be a string such as \"1.0\"");
        }
        String text = version.asText();
        String major = text.contains(".") ? text.substring(0, text.indexOf('.')) : text;
        if (!major.equals(String.valueOf(SUPPORTED_MAJOR_VERSION))) {
            throw new Problem(prefix + "schemaVersion: major version " + major
                    + " is not accepted here; this endpoint takes schema version 1.x");
        }
    }

    private static String requiredString(JsonNode node, String prefix, String field) {
        String value = optionalString(node, prefix, field);
        if (value == null) {
            throw new Problem(prefix + field + ": is required");
        }
        return value;
    }

    private static String optionalString(JsonNode node, String prefix, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new Problem(prefix + field + ": must be a string");
        }
        String text = value.asText();
        if (text.indexOf('\u0000') >= 0) {
            throw new Problem(prefix + field + ": must not contain NUL characters");
        }
        checkUnicode(text, prefix + field);
        return text;
    }

    /**
     * Refuses text that is not valid Unicode: a lone surrogate (say {@code "\\uD800"} in JSON) has no UTF-8
     * form, so it would be stored as {@code ?} and the event's key would no longer be its actor's.
     */
    private static void checkUnicode(String text, String where) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new Problem(where + ": must be valid Unicode text (a lone surrogate \\u"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at character " + (i + 1) + ")");
            }
        }
    }

    private static Integer optionalInt(JsonNode node, String prefix, String field, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw new Problem(prefix + field + ": must be an integer from " + min + " to " + max);
        }
        return value.asInt();
    }

    private static void checkActor(String value, String prefix, String field) {
        if (value != null && (value.isEmpty() || value.codePointCount(0, value.length()) > MAX_ACTOR_LENGTH)) {
            throw new Problem(prefix + field + ": must be 1 to " + MAX_ACTOR_LENGTH + " characters");
        }
    }

    private static void checkSlug(String value, String prefix, String field) {
        if (!EventSyntax.isSlug(value)) {
            throw new Problem(prefix + field + ": must match " + SLUG_PATTERN_TEXT);
        }
    }

    private static void onlyFor(EventType actual, EventType allowed, Object value, String prefix, String field) {
        if (value != null && actual != allowed) {
            throw new Problem(prefix + field + ": is allowed only for " + allowed.wireName());
        }
    }

    private static Map<String, Object> properties(JsonNode node, String prefix) {
        JsonNode props = node.get("properties");
        if (props == null || props.isNull()) {
            return Map.of();
        }
        if (!props.isObject()) {
            throw new Problem(prefix + "properties: must be an object of string, number or boolean values");
        }
        if (props.size() > MAX_PROPERTIES) {
            throw new Problem(prefix + "properties: must have at most " + MAX_PROPERTIES + " keys, has " + props.size());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = props.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String key = entry.getKey();
            String where = prefix + "properties." + key;
            if (key.isEmpty() || key.length() > MAX_PROPERTY_KEY_LENGTH || key.indexOf('\u0000') >= 0) {
                throw new Problem(prefix + "properties: keys must be 1 to " + MAX_PROPERTY_KEY_LENGTH
                        + " characters without NUL");
            }
            checkUnicode(key, prefix + "properties: a key");
            JsonNode value = entry.getValue();
            Object plain;
            if (value.isTextual()) {
                String text = value.asText();
                if (text.indexOf('\u0000') >= 0) {
                    throw new Problem(where + ": must not contain NUL characters");
                }
                checkUnicode(text, where);
                plain = text;
            } else if (value.isBoolean()) {
                plain = value.booleanValue();
            } else if (value.isNumber()) {
                plain = value.numberValue();
            } else {
                throw new Problem(where + ": must be a string, number or boolean (properties are flat)");
            }
            int bytes = value.isTextual()
                    ? value.asText().getBytes(StandardCharsets.UTF_8).length
                    : value.asText().length();
            if (bytes > MAX_PROPERTY_VALUE_BYTES) {
                throw new Problem(where + ": must be at most 1 KiB");
            }
            result.put(key, plain);
        }
        return result;
    }
}
