package dev.northstar.model.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One product event as stored on {@link dev.northstar.model.topic.Topics#EVENTS}: the producer's envelope (schema
 * v1) plus what ingest adds ({@code projectId}, {@code receivedAt}, {@code schemaVersion}).
 * Made by {@link EventValidator} from producer input and by {@link StoredEventReader} from the
 * events topic; tests build them with {@link #builder()}.
 *
 * @param occurredAt     event time after clock correction (see {@link EventValidator})
 * @param clockCorrected true when the producer's time was more than the allowed skew ahead and
 *                       {@code receivedAt} was used instead
 * @param transferred    written by a signal service, never by a producer (ingest ignores the field): the
 *                       person-level part of an event of {@code anonymousId}, now counted as
 *                       {@code userId} on that user's partition (ADR 0017); null otherwise
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
        String comment,
        Boolean transferred) {

    /** The schema version ingest writes. Minor versions add optional fields and event types only (1.1: user_identified). */
    public static final String SCHEMA_VERSION = "1.1";

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

    /** Whether this is a transfer between partitions, not an event a producer sent. */
    public boolean isTransfer() {
        return Boolean.TRUE.equals(transferred);
    }

    /**
     * The actor whose partition the event belongs on ({@link dev.northstar.model.topic.Topics#eventKey}): the
     * anonymousId of a {@code user_identified} (its partition decides the link), else {@link #actor()}.
     */
    public String keyActor() {
        return type == EventType.USER_IDENTIFIED && !isTransfer() ? anonymousId : actor();
    }

    /** A builder for an event of schema version {@value #SCHEMA_VERSION}; set what the event needs. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this event's values, to make a changed copy. */
    public Builder toBuilder() {
        return new Builder().schemaVersion(schemaVersion).eventId(eventId).type(type).projectId(projectId)
                .userId(userId).anonymousId(anonymousId).feature(feature).occurredAt(occurredAt)
                .receivedAt(receivedAt).clockCorrected(clockCorrected).properties(properties).funnel(funnel)
                .step(step).errorCode(errorCode).rating(rating).comment(comment).transferred(transferred);
    }

    /** Builds a {@link ProductEvent} field by field instead of through its sixteen-argument constructor. */
    public static final class Builder {
        private String schemaVersion = SCHEMA_VERSION;
        private String eventId;
        private EventType type;
        private String projectId;
        private String userId;
        private String anonymousId;
        private String feature;
        private Instant occurredAt;
        private Instant receivedAt;
        private boolean clockCorrected;
        private Boolean transferred;
        private Map<String, Object> properties = Map.of();
        private String funnel;
        private Integer step;
        private String errorCode;
        private Integer rating;
        private String comment;

        private Builder() {
        }

        public Builder schemaVersion(String value) {
            schemaVersion = value;
            return this;
        }

        public Builder eventId(String value) {
            eventId = value;
            return this;
        }

        public Builder type(EventType value) {
            type = value;
            return this;
        }

        public Builder projectId(String value) {
            projectId = value;
            return this;
        }

        public Builder userId(String value) {
            userId = value;
            return this;
        }

        public Builder anonymousId(String value) {
            anonymousId = value;
            return this;
        }

        public Builder feature(String value) {
            feature = value;
            return this;
        }

        public Builder occurredAt(Instant value) {
            occurredAt = value;
            return this;
        }

        public Builder receivedAt(Instant value) {
            receivedAt = value;
            return this;
        }

        public Builder clockCorrected(boolean value) {
            clockCorrected = value;
            return this;
        }

        public Builder properties(Map<String, Object> value) {
            properties = value;
            return this;
        }

        public Builder funnel(String value) {
            funnel = value;
            return this;
        }

        public Builder step(Integer value) {
            step = value;
            return this;
        }

        public Builder errorCode(String value) {
            errorCode = value;
            return this;
        }

        public Builder rating(Integer value) {
            rating = value;
            return this;
        }

        public Builder comment(String value) {
            comment = value;
            return this;
        }

        public Builder transferred(Boolean value) {
            transferred = value;
            return this;
        }

        public ProductEvent build() {
            return new ProductEvent(schemaVersion, eventId, type, projectId, userId, anonymousId, feature, occurredAt,
                    receivedAt, clockCorrected, properties, funnel, step, errorCode, rating, comment, transferred);
        }
    }
}
