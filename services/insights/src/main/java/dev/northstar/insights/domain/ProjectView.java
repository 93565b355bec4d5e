package dev.northstar.insights.domain;

import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.AdoptionRecord.ProjectActivity;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.model.snapshot.FrictionRecord.FeatureFriction;
import dev.northstar.model.snapshot.FrictionRecord.FunnelProgress;
import dev.northstar.model.snapshot.UserCounts;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One project's signals joined per feature: the latest adoption, friction and feedback snapshots
 * of each feature, the project's active users and its funnels. Not thread-safe.
 */
public final class ProjectView {

    /** The latest of each snapshot kind for one feature; any may be missing. */
    public static final class FeatureView {
        private final String feature;
        private FeatureAdoption adoption;
        private FeatureFriction friction;
        private FeatureFeedback feedback;

        FeatureView(String feature) {
            this.feature = feature;
        }

        public String feature() {
            return feature;
        }

        public Optional<FeatureAdoption> adoption() {
            return Optional.ofNullable(adoption);
        }

        public Optional<FeatureFriction> friction() {
            return Optional.ofNullable(friction);
        }

        public Optional<FeatureFeedback> feedback() {
            return Optional.ofNullable(feedback);
        }
    }

    private final String projectId;
    private ProjectActivity activity;
    private final Map<String, FeatureView> features = new TreeMap<>();
    private final Map<String, FunnelProgress> funnels = new TreeMap<>();

    public ProjectView(String projectId) {
        this.projectId = projectId;
    }

    public String projectId() {
        return projectId;
    }

    /**
     * Applies an adoption snapshot; answers the features whose recommendation may change
     * (all of them when the project's active users changed).
     */
    public Set<String> apply(AdoptionRecord record) {
        if (record instanceof ProjectActivity a) {
            activity = a;
            return Set.copyOf(features.keySet());
        }
        FeatureAdoption f = (FeatureAdoption) record;
        feature(f.feature()).adoption = f;
        return Set.of(f.feature());
    }

    public Set<String> apply(FrictionRecord record) {
        if (record instanceof FunnelProgress p) {
            funnels.put(p.funnel(), p);
            return Set.of();
        }
        FeatureFriction f = (FeatureFriction) record;
        feature(f.feature()).friction = f;
        return Set.of(f.feature());
    }

    public Set<String> apply(FeatureFeedback feedback) {
        feature(feedback.feature()).feedback = feedback;
        return Set.of(feedback.feature());
    }

    private FeatureView feature(String name) {
        return features.computeIfAbsent(name, FeatureView::new);
    }

    public UserCounts activeUsers() {
        return activity == null ? UserCounts.NONE : activity.activeUsers();
    }

    /** When the newest snapshot behind this view was taken. */
    public Optional<Instant> asOf() {
        Instant latest = activity == null ? null : activity.asOf();
        for (FeatureView f : features.values()) {
            latest = max(latest, f.adoption == null ? null : f.adoption.asOf());
            latest = max(latest, f.friction == null ? null : f.friction.asOf());
            latest = max(latest, f.feedback == null ? null : f.feedback.asOf());
        }
        return Optional.ofNullable(latest);
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isAfter(b) ? a : b);
    }

    public Collection<FeatureView> features() {
        return features.values();
    }

    public Optional<FeatureView> findFeature(String name) {
        return Optional.ofNullable(features.get(name));
    }

    /** Every funnel of the project, by name. */
    public java.util.List<FunnelProgress> funnels() {
        return java.util.List.copyOf(funnels.values());
    }

    public Optional<FunnelProgress> funnel(String name) {
        return Optional.ofNullable(funnels.get(name));
    }

    /** The numbers the recommendation of {@code feature} is made from. */
    public FeatureFacts facts(FeatureView f) {
        return new FeatureFacts(
                f.adoption().map(a -> a.users().d28()).orElse(0L),
                activeUsers().d28(),
                f.adoption().map(FeatureAdoption::firstSeen),
                f.friction().map(FeatureFriction::used28d).orElse(0L),
                f.friction().map(FeatureFriction::failed28d).orElse(0L),
                f.feedback().filter(fb -> fb.count() > 0).map(FeatureFeedback::average),
                f.feedback().map(FeatureFeedback::count).orElse(0L));
    }
}
