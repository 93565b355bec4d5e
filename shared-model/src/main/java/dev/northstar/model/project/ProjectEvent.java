package dev.northstar.model.project;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * What happens to a project, as recorded on the compacted {@link dev.northstar.model.topic.Topics#PROJECTS} topic.
 * Only salted hashes of keys are ever written; the keys themselves are shown once to the admin.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ProjectEvent.ProjectRegistered.class, name = "project_registered"),
        @JsonSubTypes.Type(value = ProjectEvent.FeatureDeclared.class, name = "feature_declared"),
        @JsonSubTypes.Type(value = ProjectEvent.SettingsChanged.class, name = "project_settings"),
})
public sealed interface ProjectEvent {

    String projectId();

    Instant at();

    /**
     * A project exists, with the current hashes of its keys. Since 2026-11-27 each record is keyed by
     * {@code projectId/writeKeyId} ({@link dev.northstar.model.topic.Topics#registrationKey}) and read
     * in log order: a record with no {@code replaces} creates the project and only the first one for an
     * id counts; a rotation names the write key id it {@code replaces} and counts only if that is the
     * current one. Records keyed by the bare project id (before 2026-11-27) keep their old meaning:
     * the latest one wins.
     *
     * @param replaces the write key id of the registration this one replaces (a rotation); null for a creation
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProjectRegistered(String projectId, String name, KeyHash writeKey, KeyHash readKey, Instant at,
                             String replaces) implements ProjectEvent {

        /** A creation. */
        public ProjectRegistered(String projectId, String name, KeyHash writeKey, KeyHash readKey, Instant at) {
            this(projectId, name, writeKey, readKey, at, null);
        }
    }

    /** Where a declared feature stands. */
    enum FeatureStatus {
        BETA, GA, DEPRECATED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The status a wire name gives, if any. */
        public static java.util.Optional<FeatureStatus> parse(String text) {
            return java.util.Arrays.stream(values()).filter(s -> s.wireName().equals(text)).findFirst();
        }
    }

    /**
     * A feature of the project's catalogue (a light tracking plan), keyed
     * {@link dev.northstar.model.topic.Topics#declarationKey}; the latest record of a key is the
     * declaration, a tombstone removes it (since 2026-11-28).
     *
     * @param releasedAt the day it was released (UTC); sunset counts the feature's age from it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FeatureDeclared(String projectId, String feature, String name, String description, String owner,
                           java.time.LocalDate releasedAt, FeatureStatus status, Instant at) implements ProjectEvent {
    }

    /** How a project treats events for features it has not declared. */
    enum CatalogueMode {
        /** Accepted (the default). */
        OPEN,
        /** Rejected by ingest, event by event. */
        STRICT;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static java.util.Optional<CatalogueMode> parse(String text) {
            return java.util.Arrays.stream(values()).filter(s -> s.wireName().equals(text)).findFirst();
        }
    }

    /**
     * A project's settings, keyed {@link dev.northstar.model.topic.Topics#settingsKey}; the latest
     * record is current (since 2026-11-28).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SettingsChanged(String projectId, CatalogueMode catalogue, Instant at) implements ProjectEvent {
    }
}
