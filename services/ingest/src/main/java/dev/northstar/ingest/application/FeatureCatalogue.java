package dev.northstar.ingest.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.model.event.Slug;
import dev.northstar.model.project.ProjectEvent;
import dev.northstar.model.project.ProjectEvent.CatalogueMode;
import dev.northstar.model.project.ProjectEvent.FeatureDeclared;
import dev.northstar.model.project.ProjectEvent.FeatureStatus;
import dev.northstar.model.project.ProjectEvent.SettingsChanged;
import dev.northstar.model.topic.Topics;
import dev.northstar.platform.usecase.Refused;
import dev.northstar.registry.ProjectRegistry;
import dev.northstar.registry.RegistryCatchUp;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The use cases behind {@code /v1/admin/projects/{projectId}/features} and {@code .../settings}: a
 * project's feature catalogue (a light tracking plan) and whether ingest enforces it. Declarations
 * and settings are records of the compacted projects topic; each change answers once this instance
 * has read it back, so a read right after it shows it.
 */
@ApplicationScoped
public class FeatureCatalogue {

    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 2_000;
    static final int MAX_OWNER = 200;

    /** A declaration and whether it was new. */
    public record Declared(FeatureDeclared declaration, boolean created) {
    }

    private final ProjectRegistry registry;
    private final RegistryCatchUp catchUp;
    private final ProjectPublisher publisher;
    private final IngestConfig config;
    private final Clock clock;

    public FeatureCatalogue(ProjectRegistry registry, RegistryCatchUp catchUp, ProjectPublisher publisher,
                            IngestConfig config, Clock clock) {
        this.registry = registry;
        this.catchUp = catchUp;
        this.publisher = publisher;
        this.config = config;
        this.clock = clock;
    }

    public List<FeatureDeclared> list(String projectId) {
        requireProject(projectId);
        return registry.declaredFeatures(projectId);
    }

    public FeatureDeclared get(String projectId, String feature) {
        requireProject(projectId);
        requireSlug(feature);
        return registry.declared(projectId, feature)
                .orElseThrow(() -> Refused.notFound("Feature " + feature + " is not declared in project " + projectId + "."));
    }

    /**
     * Declares a feature, or replaces its declaration: {@code {name, description, owner, releasedAt,
     * status}}, all optional (name defaults to the feature, status to {@code ga}).
     */
    public Uni<Declared> declare(String projectId, String feature, JsonNode body) {
        return catchUp.loaded(config.retryAfter()).chain(() -> {
            requireProject(projectId);
            requireSlug(feature);
            if (body == null || !body.isObject()) {
                throw Refused.invalid("The body must be a JSON object: {\"name\", \"description\", \"owner\", "
                        + "\"releasedAt\": \"2026-10-01\", \"status\": \"beta|ga|deprecated\"}");
            }
            List<String> known = List.of("name", "description", "owner", "releasedAt", "status");
            body.fieldNames().forEachRemaining(field -> {
                if (!known.contains(field)) {
                    throw Refused.invalid(field + ": unknown field; a declaration has " + String.join(", ", known));
                }
            });
            String name = text(body, "name", MAX_NAME).orElse(feature);
            String description = text(body, "description", MAX_DESCRIPTION).orElse(null);
            String owner = text(body, "owner", MAX_OWNER).orElse(null);
            LocalDate releasedAt = text(body, "releasedAt", 10).map(FeatureCatalogue::date).orElse(null);
            FeatureStatus status = text(body, "status", 20).map(FeatureCatalogue::status).orElse(FeatureStatus.GA);
            boolean created = registry.declared(projectId, feature).isEmpty();
            var declaration = new FeatureDeclared(projectId, feature, name, description, owner, releasedAt, status,
                    clock.instant());
            return applied(publisher.publish(Topics.declarationKey(projectId, feature), declaration))
                    .map(done -> new Declared(declaration, created));
        });
    }

    /** Removes a feature's declaration (its signals stay: they come from events). */
    public Uni<Void> remove(String projectId, String feature) {
        return catchUp.loaded(config.retryAfter()).chain(() -> {
            get(projectId, feature);
            return applied(publisher.retract(Topics.declarationKey(projectId, feature)));
        });
    }

    public CatalogueMode mode(String projectId) {
        requireProject(projectId);
        return registry.catalogueMode(projectId);
    }

    /** Sets the project's settings: {@code {"catalogue": "strict" | "open"}}. */
    public Uni<CatalogueMode> settings(String projectId, JsonNode body) {
        return catchUp.loaded(config.retryAfter()).chain(() -> {
            requireProject(projectId);
            if (body == null || !body.isObject() || body.size() != 1 || !body.has("catalogue")) {
                throw Refused.invalid("The body must be {\"catalogue\": \"strict\"} or {\"catalogue\": \"open\"}");
            }
            String value = text(body, "catalogue", 20).orElse("");
            CatalogueMode mode = CatalogueMode.parse(value).orElseThrow(() ->
                    Refused.invalid("catalogue: must be strict or open, not '" + value + "'"));
            return applied(publisher.publish(Topics.settingsKey(projectId), new SettingsChanged(projectId, mode,
                    clock.instant()))).map(done -> mode);
        });
    }

    /** Waits until this instance has read back the record Kafka acknowledged at the offset. */
    private Uni<Void> applied(Uni<Long> published) {
        return published
                .ifNoItem().after(config.deliveryTimeout()).failWith(TimeoutException::new)
                .onFailure().transform(f -> Refused.unavailable("Kafka did not acknowledge the change; nothing changed.",
                        config.retryAfter()))
                .chain(offset -> Uni.createFrom().completionStage(catchUp.applied(offset))
                        .ifNoItem().after(config.deliveryTimeout()).failWith(() -> Refused.unavailable(
                                "The change is on the projects topic but this instance has not read it back yet; "
                                        + "retry shortly.", config.retryAfter())));
    }

    private void requireProject(String projectId) {
        if (!catchUp.isCaughtUp()) {
            throw Refused.unavailable("The project registry is still loading; retry shortly.", config.retryAfter());
        }
        if (!registry.exists(projectId)) {
            throw Refused.notFound("No project " + projectId + ".");
        }
    }

    private static void requireSlug(String feature) {
        if (!Slug.isValid(feature)) {
            throw Refused.invalid("feature: must match " + Slug.PATTERN);
        }
    }

    private static Optional<String> text(JsonNode body, String field, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw Refused.invalid(field + ": must be a string");
        }
        String text = value.asText().strip();
        if (text.isEmpty()) {
            throw Refused.invalid(field + ": must not be blank (leave it out instead)");
        }
        if (text.length() > max) {
            throw Refused.invalid(field + ": must be at most " + max + " characters, got " + text.length());
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw Refused.invalid(field + ": must not contain control characters");
        }
        return Optional.of(text);
    }

    private static FeatureStatus status(String text) {
        return FeatureStatus.parse(text).orElseThrow(() -> Refused.invalid("status: must be one of "
                + Arrays.stream(FeatureStatus.values()).map(FeatureStatus::wireName).collect(Collectors.joining(", "))
                + ", not '" + text + "'"));
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw Refused.invalid("releasedAt: must be a date, e.g. 2026-10-01, not '" + text + "'");
        }
    }
}
