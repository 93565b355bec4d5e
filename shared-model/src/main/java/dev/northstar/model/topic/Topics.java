package dev.northstar.model.topic;

import dev.northstar.model.erasure.ActorErasure;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.notify.FeatureHistory;
import dev.northstar.model.notify.Webhook;
import dev.northstar.model.notify.WebhookDelivery;
import dev.northstar.model.project.ProjectEvent;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.DeadLetter;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.model.snapshot.Redrive;

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
    /**
     * Webhook deliveries: the latest state of each, and none older than a month (a pending delivery is
     * rewritten at every attempt, and given up after a day).
     */
    private static final Topic.Cleanup DELIVERIES_KEPT = new Topic.Cleanup.CompactAndDelete(
            new Topic.Cleanup.Compact(Duration.ofHours(1), 0.5, Duration.ofDays(1)), Duration.ofDays(30));
    /** Dead letters: a month to look at them and re-drive them. */
    private static final Topic.Cleanup DEAD_LETTERS_KEPT = Topic.Cleanup.Delete.after(Duration.ofDays(30));

    /**
     * Keyed by project and actor ({@link #eventKey}), so one project spreads over every partition and each
     * partition holds disjoint actors (ADR 0015). The value schema is event schema 1.x, as on {@link #EVENTS_V1}.
     */
    public static final Topic<ProductEvent> EVENTS = new Topic<>(
            "northstar.events.v2", "events", "projectId/actor (userId, else anonymousId)", ProductEvent.class,
            EVENTS_KEPT, DEFAULT_PARTITIONS);
    /**
     * The events topic before 2026-11-27, keyed by project alone: no longer written or read; kept in the
     * catalogue only so that {@code northstar-topics migrate-events} can copy it to {@link #EVENTS}.
     */
    public static final Topic<ProductEvent> EVENTS_V1 = new Topic<>(
            "northstar.events.v1", "events-v1", "projectId", ProductEvent.class, EVENTS_KEPT, DEFAULT_PARTITIONS);
    public static final Topic<ProjectEvent> PROJECTS = new Topic<>(
            "northstar.projects.v1", "projects",
            "projectId/writeKeyId of the registration (records written before 2026-11-27: projectId)",
            ProjectEvent.class, PROJECTS_KEPT, 1);
    public static final Topic<AdoptionRecord> FEATURE_ADOPTION = new Topic<>(
            "northstar.feature-adoption.v2", "feature-adoption",
            "projectId/feature#partition, and projectId#partition for the project-level record: one slice per "
                    + "events partition",
            AdoptionRecord.class, SNAPSHOTS_KEPT, DEFAULT_PARTITIONS);
    public static final Topic<FrictionRecord> FEATURE_FRICTION = new Topic<>(
            "northstar.feature-friction.v2", "feature-friction",
            "projectId/feature#partition, and projectId/funnels/funnel#partition for funnels",
            FrictionRecord.class, SNAPSHOTS_KEPT, DEFAULT_PARTITIONS);
    public static final Topic<FeatureFeedback> FEATURE_FEEDBACK = new Topic<>(
            "northstar.feature-feedback.v2", "feature-feedback", "projectId/feature#partition",
            FeatureFeedback.class, SNAPSHOTS_KEPT, DEFAULT_PARTITIONS);
    public static final Topic<FeatureInsight> FEATURE_INSIGHTS = new Topic<>(
            "northstar.feature-insights.v1", "feature-insights", "projectId/feature",
            FeatureInsight.class, SNAPSHOTS_KEPT, DEFAULT_PARTITIONS);
    /**
     * Each feature's recommendation changes, written by the notifier to the partition of the feature's
     * insight on {@link #FEATURE_INSIGHTS} (so one instance owns both), read whole by insights.
     */
    public static final Topic<FeatureHistory> FEATURE_HISTORY = new Topic<>(
            "northstar.feature-history.v1", "feature-history",
            "projectId/feature, on the partition of its feature-insights record", FeatureHistory.class,
            SNAPSHOTS_KEPT, DEFAULT_PARTITIONS);
    /** Webhooks, with their signing secrets: read whole by every notifier instance, by nothing else. */
    public static final Topic<Webhook> WEBHOOKS = new Topic<>(
            "northstar.webhooks.v1", "webhooks", "projectId/webhookId", Webhook.class, PROJECTS_KEPT, 1);
    /**
     * Every alert for every webhook and its attempts, written by the notifier to the partition of the
     * feature's insight on {@link #FEATURE_INSIGHTS} (the instance that owns it retries it).
     */
    public static final Topic<WebhookDelivery> WEBHOOK_DELIVERIES = new Topic<>(
            "northstar.webhook-deliveries.v1", "webhook-deliveries",
            "projectId/webhookId/deliveryId, on the partition of the feature's feature-insights record",
            WebhookDelivery.class, DELIVERIES_KEPT, DEFAULT_PARTITIONS);
    /**
     * Erasures: one record per erased project and actor, kept forever (compacted, never deleted), read
     * whole by every signal service at start so that no replay counts an erased person again.
     */
    public static final Topic<ActorErasure> ERASURES = new Topic<>(
            "northstar.erasures.v1", "erasures", "projectId/actorId", ActorErasure.class, PROJECTS_KEPT, 1);
    /**
     * Which partitions of the events topic reflect each erasure, per signal service: written by the signal
     * services as their partitions stop counting an erased person, read by ingest to answer an erasure's
     * status (pending, applied). Compacted, kept as long as the erasures.
     */
    public static final Topic<dev.northstar.model.erasure.ErasureProgress> ERASURE_PROGRESS = new Topic<>(
            "northstar.erasure-progress.v1", "erasure-progress", "erasureId/service/partition",
            dev.northstar.model.erasure.ErasureProgress.class, PROJECTS_KEPT, 1);
    public static final Topic<DeadLetter> DEAD_LETTER = new Topic<>(
            "northstar.dead-letter.v1", "dead-letter", "the original record's key",
            DeadLetter.class, DEAD_LETTERS_KEPT, DEFAULT_PARTITIONS);

    /**
     * Dead letters written back to their source topics ({@code northstar dead-letters redrive}): one record
     * per source position, kept (compacted), so none is re-driven twice.
     */
    public static final Topic<Redrive> REDRIVES = new Topic<>(
            "northstar.dead-letter-redrives.v1", "dead-letter-redrives", "sourceTopic/sourcePartition/sourceOffset",
            Redrive.class, PROJECTS_KEPT, 1);

    /**
     * The topics a dead letter may be written back to ({@code northstar dead-letters redrive}): the events and
     * the signal services' snapshots, whose readers check every record as it comes (an event must be keyed by
     * its own project and actor, a snapshot by its own project and feature). Never the registry, the webhooks,
     * the erasures or the notifier's topics: a dead letter is written by any service principal, so re-driving
     * one there with the admin's rights would let a stolen principal forge a project's keys or a webhook.
     */
    public static final List<Topic<?>> REDRIVABLE = List.of(EVENTS, FEATURE_ADOPTION, FEATURE_FRICTION, FEATURE_FEEDBACK);

    /** Every topic, in the order data flows through them. */
    public static final List<Topic<?>> ALL = List.of(
            EVENTS, PROJECTS, FEATURE_ADOPTION, FEATURE_FRICTION, FEATURE_FEEDBACK, FEATURE_INSIGHTS, FEATURE_HISTORY,
            WEBHOOKS, WEBHOOK_DELIVERIES, ERASURES, ERASURE_PROGRESS, DEAD_LETTER, REDRIVES);

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

    /** Separator of a snapshot slice's key and the events partition it comes from ({@code projectId/feature#3}). */
    public static final String PARTITION_MARK = "#";

    /**
     * The key of an event on {@link #EVENTS}: project and actor, so that every event of one actor lands
     * on one partition and a project spreads over all of them. {@code actor} is the event's userId, else
     * its anonymousId (as stored: pseudonymized when ingest pseudonymizes).
     */
    public static String eventKey(String projectId, String actor) {
        return projectId + KEY_SEPARATOR + actor;
    }

    /** The project part of a compound key: what precedes the first {@link #KEY_SEPARATOR} (all of it if none). */
    public static String projectOfKey(String key) {
        int slash = key.indexOf(KEY_SEPARATOR);
        return slash < 0 ? key : key.substring(0, slash);
    }

    /**
     * The key of one slice of a snapshot: the snapshot's key and the events partition whose actors it
     * counts. Readers add the slices of a key up ({@code insights}).
     */
    public static String sliceKey(String key, int partition) {
        return key + PARTITION_MARK + partition;
    }

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

    /**
     * The key of a feature's declaration on {@link #PROJECTS} ({@code acme/features/export}); a
     * tombstone under it removes the declaration.
     */
    public static String declarationKey(String projectId, String feature) {
        return projectId + KEY_SEPARATOR + "features" + KEY_SEPARATOR + feature;
    }

    /** The key of a project's settings on {@link #PROJECTS} ({@code acme/settings}). */
    public static String settingsKey(String projectId) {
        return projectId + KEY_SEPARATOR + "settings";
    }

    /** The key of an erasure on {@link #ERASURES}. */
    public static String erasureKey(String projectId, String actorId) {
        return projectId + KEY_SEPARATOR + actorId;
    }

    /** The key of a partition's word on an erasure, on {@link #ERASURE_PROGRESS}. */
    public static String erasureProgressKey(String erasureId, String service, int partition) {
        return erasureId + KEY_SEPARATOR + service + KEY_SEPARATOR + partition;
    }

    /** The key of a webhook on {@link #WEBHOOKS}. */
    public static String webhookKey(String projectId, String webhookId) {
        return projectId + KEY_SEPARATOR + webhookId;
    }

    /** The key of a delivery on {@link #WEBHOOK_DELIVERIES}. */
    public static String deliveryKey(String projectId, String webhookId, String deliveryId) {
        return projectId + KEY_SEPARATOR + webhookId + KEY_SEPARATOR + deliveryId;
    }

    public static String funnelKey(String projectId, String funnel) {
        return projectId + KEY_SEPARATOR + "funnels" + KEY_SEPARATOR + funnel;
    }
}
