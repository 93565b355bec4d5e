package dev.northstar.model.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One product event as stored on {@link dev.northstar.model.topic.Topics#EVENTS}: the producer's envelope (schema
 * v1) plus what ingest adds ({@code projectId}, {@code receivedAt}, {@code schemaVersion}).
 * Instances are only made by {@link EventValidator}, so a {@code ProductEvent} is always valid.
 *
 * @param occurredAt     event time after clock correction (see {@link EventValidator})
 * @param clockCorrected true when the producer's time was more than the allowed skew ahead and
 *                       {@code receivedAt} was used instead
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductEvent(
        String schemaVersion,
        String eventId,
        EventType type,
        String projectId,
        String userId,
        String anonymousId,
        String feature,
        Instant occurredAt,
        Instant receivedAt,
        boolean clockCorrected,
        Map<String, Object> properties,
        String funnel,
        Integer step,
        String errorCode,
        Integer rating,
        String comment) {

    /** The schema version ingest writes. Minor versions add optional fields only. */
    public static final String SCHEMA_VERSION = "1.0";

    public ProductEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** The actor counted in user metrics: the userId when present, else the anonymousId. */
    public String actor() {
        return userId != null ? userId : anonymousId;
    }
}
