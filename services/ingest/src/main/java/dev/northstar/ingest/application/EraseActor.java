package dev.northstar.ingest.application;

import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.model.erasure.ActorErasure;
import dev.northstar.model.event.EventValidator;
import dev.northstar.platform.usecase.Refused;
import dev.northstar.registry.ProjectRegistry;
import dev.northstar.registry.RegistryCatchUp;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.UUID;

/**
 * Erases a person from a project: records the erasure on the erasures topic, from which every signal
 * service removes the actor from everything it counts and republishes (docs/adr/0014). Answered once
 * Kafka has the erasure; the numbers follow within seconds. An actor the project never saw is
 * erased all the same (nothing changes, and the id is never counted later either).
 */
@ApplicationScoped
public class EraseActor {

    private final ProjectRegistry registry;
    private final RegistryCatchUp catchUp;
    private final ErasurePublisher publisher;
    private final IngestConfig config;
    private final Clock clock;
    private final ActorIds actorIds;
    private final ErasureStatuses statuses;

    public EraseActor(ProjectRegistry registry, RegistryCatchUp catchUp, ErasurePublisher publisher,
                      IngestConfig config, Clock clock, ActorIds actorIds, ErasureStatuses statuses) {
        this.actorIds = actorIds;
        this.statuses = statuses;
        this.registry = registry;
        this.catchUp = catchUp;
        this.publisher = publisher;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The erasure of {@code actorId} (a userId or an anonymousId, as the producer sent it) in
     * {@code projectId}, once on Kafka. With pseudonymous ids the erasure records the pseudonym: the
     * id the events carry.
     */
    public Uni<ActorErasure> erase(String projectId, String actorId) {
        return catchUp.loaded(config.retryAfter()).chain(() -> {
            if (actorId == null || actorId.isEmpty()
                    || actorId.codePointCount(0, actorId.length()) > EventValidator.MAX_ACTOR_LENGTH) {
                throw Refused.invalid("actorId: must be 1 to " + EventValidator.MAX_ACTOR_LENGTH
                        + " characters (a userId or an anonymousId as events carry it)");
            }
            if (!registry.exists(projectId)) {
                throw Refused.notFound("No project " + projectId + ".");
            }
            var erasure = new ActorErasure(UUID.randomUUID().toString(), projectId, actorIds.stored(projectId, actorId),
                    clock.instant());
            return publisher.publish(erasure)
                    .ifNoItem().after(config.deliveryTimeout()).failWith(() -> Refused.unavailable(
                            "Kafka did not take the erasure in time; retry (erasing twice is harmless).", config.retryAfter()))
                    .onFailure(f -> !(f instanceof Refused)).transform(f -> Refused.unavailable(
                            "Kafka did not take the erasure (" + f.getMessage() + "); retry.", config.retryAfter()))
                    .invoke(() -> statuses.requested(erasure))
                    .replaceWith(erasure);
        });
    }
}
