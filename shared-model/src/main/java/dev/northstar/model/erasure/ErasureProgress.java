package dev.northstar.model.erasure;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.northstar.model.topic.Topics;

import java.time.Instant;

/**
 * One signal service's word that one partition of the events topic reflects an erasure, on the compacted
 * {@link Topics#ERASURE_PROGRESS} topic: none of the person's events is counted in that partition's
 * state any more (it was rebuilt without them, or never held the project). Ingest answers an erasure's
 * status from these: applied once every signal service has said so for every partition.
 *
 * @param erasureId the erasure ({@link ActorErasure#erasureId()})
 * @param projectId its project
 * @param service   the signal service (adoption, friction, feedback)
 * @param partition the partition of the events topic
 * @param appliedAt when the service found the partition reflecting it
 * @param linkedIds anonymous ids of this partition erased with the person (linked to the erased user)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErasureProgress(String erasureId, String projectId, String service, int partition, Instant appliedAt,
                              int linkedIds) {

    @JsonIgnore
    public String recordKey() {
        return Topics.erasureProgressKey(erasureId, service, partition);
    }
}
