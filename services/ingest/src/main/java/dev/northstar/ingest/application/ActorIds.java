package dev.northstar.ingest.application;

import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.ingest.domain.Pseudonyms;
import dev.northstar.model.event.ProductEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * What ingest writes as the actor ids of an event: the ids as sent, or, with
 * {@code NORTHSTAR_PSEUDONYMIZE_ACTORS=true}, their pseudonyms ({@link Pseudonyms}) so that the events
 * log never holds a raw userId or anonymousId. Erasures go through the same mapping. Made at start, so
 * that a missing or short key stops the service at once.
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class ActorIds {

    private final Optional<Pseudonyms> pseudonyms;

    public ActorIds(IngestConfig config) {
        if (config.pseudonymizeActors()) {
            String key = config.pseudonymKey().orElseThrow(() -> new IllegalStateException(
                    "NORTHSTAR_PSEUDONYMIZE_ACTORS=true needs NORTHSTAR_PSEUDONYM_KEY (at least "
                            + Pseudonyms.MIN_KEY_BYTES + " bytes, kept secret and never changed: e.g. openssl rand -hex 32)"));
            this.pseudonyms = Optional.of(new Pseudonyms(key));
        } else {
            this.pseudonyms = Optional.empty();
        }
    }

    /** Whether ids are pseudonymized. */
    public boolean pseudonymized() {
        return pseudonyms.isPresent();
    }

    /** The id written for {@code actorId} of {@code projectId}. */
    public String stored(String projectId, String actorId) {
        return pseudonyms.map(p -> p.of(projectId, actorId)).orElse(actorId);
    }

    /** The events as they are written: with pseudonymous ids when configured. */
    public List<ProductEvent> stored(List<ProductEvent> events) {
        if (pseudonyms.isEmpty()) {
            return events;
        }
        Pseudonyms p = pseudonyms.get();
        return events.stream().map(e -> e.toBuilder().userId(p.of(e.projectId(), e.userId()))
                .anonymousId(p.of(e.projectId(), e.anonymousId())).build()).toList();
    }
}
