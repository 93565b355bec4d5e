package dev.northstar.model.erasure;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.northstar.model.topic.Topics;

import java.time.Instant;

/**
 * A person erased from a project, as recorded on the compacted
 * {@link Topics#ERASURES} topic (kept forever, one record per project and actor): every signal
 * service removes the actor from everything it counts and never counts the actor again, on every
 * replay. The record holds the actor id itself, and nothing else of the person: it is what makes
 * the erasure hold when the events log is read again.
 *
 * @param erasureId   the id the admin API answered with
 * @param projectId   the project
 * @param actorId     the userId or anonymousId erased (as events carry it: with pseudonymous ids, the pseudonym)
 * @param requestedAt when the admin asked
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ActorErasure(String erasureId, String projectId, String actorId, Instant requestedAt) {

    /** The record key: one record per project and actor, so compaction keeps each erasure. */
    @JsonIgnore
    public String recordKey() {
        return Topics.erasureKey(projectId, actorId);
    }
}
