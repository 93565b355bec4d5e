package dev.northstar.ingest.application;

import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.platform.usecase.Refused;
import dev.northstar.registry.KeyRole;
import dev.northstar.registry.ProjectKeys;
import dev.northstar.registry.ProjectRegistry;
import dev.northstar.registry.RegistryCatchUp;
import dev.northstar.model.topic.Topics;
import dev.northstar.model.event.Slug;
import dev.northstar.model.project.ProjectEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.concurrent.TimeoutException;

/** The use case behind {@code POST /v1/admin/projects}: a new project and its two keys, shown once. */
@ApplicationScoped
public class RegisterProject {

    private static final int MAX_NAME_LENGTH = 200;

    /** What the admin sees once: the keys themselves are never stored. */
    public record NewProject(String projectId, String name, String writeKey, String readKey) {
        @Override
        public String toString() {
            return "NewProject[projectId=" + projectId + ", keys=<redacted>]";
        }
    }

    private final ProjectRegistry registry;
    private final RegistryCatchUp catchUp;
    private final ProjectPublisher publisher;
    private final IngestConfig config;
    private final Clock clock;

    public RegisterProject(ProjectRegistry registry, RegistryCatchUp catchUp, ProjectPublisher publisher,
                           IngestConfig config, Clock clock) {
        this.registry = registry;
        this.catchUp = catchUp;
        this.publisher = publisher;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Issues new keys for a project and retires the old ones: once the new record is on the
     * projects topic, every instance refuses the old keys. Two rotations at once: the first on the
     * topic wins, the other is refused (409) and its keys never work.
     */
    public Uni<NewProject> rotateKeys(String projectId) {
        return catchUp.loaded(config.retryAfter()).chain(() -> {
            var current = registry.find(projectId)
                    .orElseThrow(() -> Refused.notFound("No project " + projectId + "."));
            String replacedRecord = registry.recordKeyOf(projectId).orElse(projectId);
            return publishKeys(projectId, current.name(), current.writeKey().keyId(),
                    "projectId: the keys of project " + projectId + " were rotated by another request at the same time")
                    .call(created -> publisher.retract(replacedRecord).onFailure().recoverWithNull());
        });
    }

    /**
     * Registers a new project. Exactly once across ingest instances: the registration is published,
     * then this instance waits until it has read it back from the projects topic; the first
     * registration of an id on the topic is the project (201), a later one is refused (409) and its
     * record retracted. On an instance still loading the registry: 503, retry.
     */
    public Uni<NewProject> register(String projectId, String name) {
        if (!Slug.isValid(projectId)) {
            throw Refused.invalid("projectId: must match " + Slug.PATTERN);
        }
        String displayName = name == null || name.isBlank() ? projectId : name.strip();
        if (displayName.length() > MAX_NAME_LENGTH) {
            throw Refused.invalid("name: must be at most " + MAX_NAME_LENGTH + " characters");
        }
        return catchUp.loaded(config.retryAfter()).chain(() -> {
            if (registry.exists(projectId)) {
                throw Refused.conflict("projectId: project " + projectId + " already exists");
            }
            return publishKeys(projectId, displayName, null, "projectId: project " + projectId + " already exists");
        });
    }

    /** Every project: id, name and when its current keys were issued. */
    public java.util.List<dev.northstar.model.project.ProjectEvent.ProjectRegistered> list() {
        requireLoaded();
        return registry.all();
    }

    private void requireLoaded() {
        if (!catchUp.isCaughtUp()) {
            throw Refused.unavailable("The project registry is still loading; retry shortly.", config.retryAfter());
        }
    }

    /**
     * Publishes a registration (replacing the write key {@code replaces}, or none), waits until this
     * instance has applied it from the topic, and answers with the keys if the registry took it.
     */
    private Uni<NewProject> publishKeys(String projectId, String displayName, String replaces, String lostMessage) {
        var writeKey = ProjectKeys.issue(KeyRole.WRITE);
        var readKey = ProjectKeys.issue(KeyRole.READ);
        var registered = new ProjectEvent.ProjectRegistered(projectId, displayName, writeKey.hash(), readKey.hash(),
                clock.instant(), replaces);
        String key = Topics.registrationKey(projectId, writeKey.hash().keyId());
        return publisher.publish(key, registered)
                .ifNoItem().after(config.deliveryTimeout()).failWith(TimeoutException::new)
                .onFailure().transform(f -> Refused.unavailable(
                        "Kafka did not acknowledge the new keys; nothing changed.", config.retryAfter()))
                .chain(offset -> Uni.createFrom().completionStage(catchUp.applied(offset))
                        .ifNoItem().after(config.deliveryTimeout()).failWith(() -> Refused.unavailable(
                                "The new keys are on the projects topic but this instance has not read them back yet; "
                                        + "they may or may not be the project's. Retry shortly.", config.retryAfter())))
                .chain((Void applied) -> {
                    boolean ours = registry.find(projectId)
                            .map(p -> p.writeKey().keyId().equals(writeKey.hash().keyId())).orElse(false);
                    if (ours) {
                        return Uni.createFrom().item(new NewProject(projectId, displayName, writeKey.key(), readKey.key()));
                    }
                    Uni<Void> retracted = publisher.retract(key).replaceWithVoid().onFailure().recoverWithNull();
                    return retracted.onItem().transformToUni(done -> Uni.createFrom().<NewProject>failure(
                            Refused.conflict(lostMessage)));
                });
    }
}
