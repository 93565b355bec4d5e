package dev.northstar.model.project;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
})
public sealed interface ProjectEvent {

    String projectId();

    Instant at();

    /**
     * A project exists, with the current hashes of its keys. Later versions of this record (a
     * rotation) replace earlier ones on the compacted topic.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProjectRegistered(String projectId, String name, KeyHash writeKey, KeyHash readKey, Instant at)
            implements ProjectEvent {
    }
}
