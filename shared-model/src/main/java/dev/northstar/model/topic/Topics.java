package dev.northstar.model.topic;

import dev.northstar.model.erasure.ActorErasure;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.project.ProjectEvent;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.DeadLetter;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.snapshot.FrictionRecord;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The catalogue of every topic Northstar reads or writes. The one place a topic name is written:
 * services refer to {@code ${northstar.topics.<configKey>}} in their configuration, which
 * {@code platform} resolves from this class; tests and the local launcher use the constants.
 */
public final class Topics {

    /** Default partition count of the keyed topics (configuration may override it when creating them). */
    public static final int DEFAULT_PARTITIONS = 6;

    /**
     * The events topic is the system of record: every number is rebuilt from it by replay, so it is
     * kept forever unless an operator declares a retention (then "all" means "within it").
     */
    private static final Topic.Cleanup EVENTS_KEPT = Topic.Cleanup.Delete.FOREVER;
    /**
     * Snapshot topics: latest per key. Replaced values go within about an hour of their segment
     * rolling; tombstones stay a day.
     */
    private static final Topic.Cleanup SNAPSHOTS_KEPT = new Topic.Cleanup.Compact(
            Duration.ofHours(1), 0.5, Duration.ofDays(1));
    /**
     * Projects: latest per project, read whole by every ingest and insights at start, so compacted
     * early (small topic, dirty ratio 0.1); a removed project's tombstone stays a day.
     */
    private static final Topic.Cleanup PROJECTS_KEPT = new Topic.Cleanup.Compact(
            Duration.ofHours(6), 0.1, Duration.ofDays(1));
    /** Dead letters: a month to look at them and re-drive them. */
    private static final Topic.Cleanup DEAD_LETTERS_KEPT = Topic.Cleanup.Delete.after(Duration.ofDays(30));

    public static final Topic<ProductEvent> EVENTS = new Topic<>(
            "northstar.events.v1", "events", "projectId", ProductEvent.class, EVENTS_KEPT, DEFAULT_PARTITIONS);
    public static final Topic<ProjectEvent> PROJECTS = new Topic<>(
            "northstar.projects.v1", "projects",
            "projectId/writeKeyId of the registration (records written before 2026-11-27: projectId)",
            ProjectEvent.class, PROJECTS_KEPT, 1);
    public static final Topic<AdoptionRecord> FEATURE_ADOPTION = new Topic<>(
            "northstar.feature-adoption.v1", "feature-adoption",
            "projectId/feature, and projectId alone for the project-level record",
            AdoptionRecord.class, SNAPSHOTS_KEPT, DEFAULT_PARTITIONS);
    public static final Topic<FrictionRecord> FEATURE_FRICTION = new Topic<>(
            "northstar.feature-friction.v1", "feature-friction",
            "projectId/feature, and projectId/funnels/funnel for funnels",
            FrictionRecord.class, SNAPSHOTS_KEPT, DEFAULT_PARTITIONS);
    public static final Topic<FeatureFeedback> FEATURE_FEEDBACK = new Topic<>(
            "northstar.feature-feedback.v1", "feature-feedback", "projectId/feature",
            FeatureFeedback.class, SNAPSHOTS_KEPT, DEFAULT_PARTITIONS);
    public static final Topic<FeatureInsight> FEATURE_INSIGHTS = new Topic<>(
            "northstar.feature-insights.v1", "feature-insights", "projectId/feature",
            FeatureInsight.class, SNAPSHOTS_KEPT, DEFAULT_PARTITIONS);
    /**
     * Erasures: one record per erased project and actor, kept forever (compacted, never deleted), read
     * whole by every signal service at start so that no replay counts an erased person again.
     */
    public static final Topic<ActorErasure> ERASURES = new Topic<>(
            "northstar.erasures.v1", "erasures", "projectId/actorId", ActorErasure.class, PROJECTS_KEPT, 1);
    public static final Topic<DeadLetter> DEAD_LETTER = new Topic<>(
            "northstar.dead-letter.v1", "dead-letter", "the original record's key",
            DeadLetter.class, DEAD_LETTERS_KEPT, DEFAULT_PARTITIONS);

    /** Every topic, in the order data flows through them. */
    public static final List<Topic<?>> ALL = List.of(
            EVENTS, PROJECTS, FEATURE_ADOPTION, FEATURE_FRICTION, FEATURE_FEEDBACK, FEATURE_INSIGHTS, ERASURES,
            DEAD_LETTER);

    private Topics() {
    }

    public static Optional<Topic<?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).<Topic<?>>map(t -> t).findFirst();
    }

    /**
     * Record header of a snapshot (feature-adoption, -friction, -feedback) carrying its version: the
     * position of the input it reflects, in decimal. Readers keep the newest per key.
     */
    public static final String VERSION_HEADER = "northstar.version";

    /** Separator of the parts of a compound record key ({@code projectId/feature}). */
    public static final String KEY_SEPARATOR = "/";

    public static String featureKey(String projectId, String feature) {
        return projectId + KEY_SEPARATOR + feature;
    }

    /**
     * The key of a project registration on {@link #PROJECTS}: one per registration, so compaction never
     * drops the registration that counts for a later one that does not (a losing concurrent create).
     */
    public static String registrationKey(String projectId, String writeKeyId) {
        return projectId + KEY_SEPARATOR + writeKeyId;
    }

    /** The key of an erasure on {@link #ERASURES}. */
    public static String erasureKey(String projectId, String actorId) {
        return projectId + KEY_SEPARATOR + actorId;
    }

    public static String funnelKey(String projectId, String funnel) {
        return projectId + KEY_SEPARATOR + "funnels" + KEY_SEPARATOR + funnel;
    }
}
