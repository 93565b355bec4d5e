package dev.northstar.ingest.application;

import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.platform.usecase.Refused;
import dev.northstar.registry.KeyRole;
import dev.northstar.registry.ProjectKeys;
import dev.northstar.registry.ProjectRegistry;
import dev.northstar.model.event.Slug;
import dev.northstar.model.project.ProjectEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
    private final ProjectPublisher publisher;
    private final IngestConfig config;
    private final Clock clock;

    public RegisterProject(ProjectRegistry registry, ProjectPublisher publisher, IngestConfig config, Clock clock) {
        this.registry = registry;
        this.publisher = publisher;
        this.config = config;
        this.clock = clock;
    }

    /** Refuses anything but the configured admin token, comparing in constant time. */
    public void authorizeAdmin(String token) {
        byte[] expected = config.adminToken().getBytes(StandardCharsets.UTF_8);
        byte[] actual = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        if (expected.length == 0 || !MessageDigest.isEqual(expected, actual)) {
            throw Refused.notAuthenticated("A valid admin token is required: Authorization: Bearer <admin token>");
        }
    }

    /**
     * Issues new keys for a project and retires the old ones: once the new record is on the
     * projects topic, every instance refuses the old keys.
     */
    public Uni<NewProject> rotateKeys(String projectId) {
        var current = registry.find(projectId)
                .orElseThrow(() -> Refused.notFound("No project " + projectId + "."));
        return publishKeys(projectId, current.name());
    }

    public Uni<NewProject> register(String projectId, String name) {
        if (!Slug.isValid(projectId)) {
            throw Refused.invalid("projectId: must match " + Slug.PATTERN);
        }
        String displayName = name == null || name.isBlank() ? projectId : name.strip();
        if (displayName.length() > MAX_NAME_LENGTH) {
            throw Refused.invalid("name: must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (registry.exists(projectId)) {
            throw Refused.conflict("projectId: project " + projectId + " already exists");
        }
        return publishKeys(projectId, displayName);
    }

    private Uni<NewProject> publishKeys(String projectId, String displayName) {
        var writeKey = ProjectKeys.issue(KeyRole.WRITE);
        var readKey = ProjectKeys.issue(KeyRole.READ);
        var registered = new ProjectEvent.ProjectRegistered(projectId, displayName, writeKey.hash(), readKey.hash(),
                clock.instant());
        return publisher.publish(registered)
                .ifNoItem().after(config.deliveryTimeout()).failWith(TimeoutException::new)
                .onFailure().transform(f -> Refused.unavailable(
                        "Kafka did not acknowledge the new keys; nothing changed.", config.retryAfter()))
                .onItem().transform(done -> {
                    // Known here at once; every other instance learns it from the topic.
                    registry.apply(registered);
                    return new NewProject(projectId, displayName, writeKey.key(), readKey.key());
                });
    }
}
