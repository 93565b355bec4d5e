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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One project's signals joined per feature: the latest adoption, friction and feedback snapshots
 * of each feature, the project's active users and its funnels, each the sum of the latest slice
 * of every events partition ({@link SliceSums}). Not thread-safe.
 */
public final class ProjectView {

    /**
     * The slices of one snapshot, by the events partition they count (ADR 0015), and their sum, made
     * when first asked for after a change.
     */
    private static final class Slices<T> {
        private final Map<Integer, T> byPartition = new HashMap<>();
        private final Function<Collection<T>, T> add;
        private T sum;

        Slices(Function<Collection<T>, T> add) {
            this.add = add;
        }

        void put(Integer partition, T slice) {
            byPartition.put(partition == null ? -1 : partition, slice);
            sum = null;
        }

        Optional<T> sum() {
            if (sum == null && !byPartition.isEmpty()) {
                sum = add.apply(byPartition.values());
            }
            return Optional.ofNullable(sum);
        }
    }

    /** The latest of each snapshot kind for one feature (the sum of its slices); any may be missing. */
    public static final class FeatureView {
        private final String feature;
        private final Slices<FeatureAdoption> adoption = new Slices<>(SliceSums::adoption);
        private final Slices<FeatureFriction> friction = new Slices<>(SliceSums::friction);
        private final Slices<FeatureFeedback> feedback = new Slices<>(SliceSums::feedback);

        FeatureView(String feature) {
            this.feature = feature;
        }

        public String feature() {
            return feature;
        }

        public Optional<FeatureAdoption> adoption() {
            return adoption.sum();
        }

        public Optional<FeatureFriction> friction() {
            return friction.sum();
        }

        public Optional<FeatureFeedback> feedback() {
            return feedback.sum();
        }
    }

    private final String projectId;
    private final Slices<ProjectActivity> activity = new Slices<>(SliceSums::activity);
    private final Map<String, FeatureView> features = new TreeMap<>();
    private final Map<String, Slices<FunnelProgress>> funnels = new TreeMap<>();

    public ProjectView(String projectId) {
        this.projectId = projectId;
    }

    public String projectId() {
        return projectId;
    }

    /**
     * Applies an adoption snapshot (the slice of one events partition); answers the features whose
     * recommendation may change (all of them when the project's active users changed).
     */
    public Set<String> apply(AdoptionRecord record) {
        if (record instanceof ProjectActivity a) {
            activity.put(a.partition(), a);
            return Set.copyOf(features.keySet());
        }
        FeatureAdoption f = (FeatureAdoption) record;
        feature(f.feature()).adoption.put(f.partition(), f);
        return Set.of(f.feature());
    }

    public Set<String> apply(FrictionRecord record) {
        if (record instanceof FunnelProgress p) {
            funnels.computeIfAbsent(p.funnel(), k -> new Slices<>(SliceSums::funnel)).put(p.partition(), p);
            return Set.of();
        }
        FeatureFriction f = (FeatureFriction) record;
        feature(f.feature()).friction.put(f.partition(), f);
        return Set.of(f.feature());
    }

    public Set<String> apply(FeatureFeedback feedback) {
        feature(feedback.feature()).feedback.put(feedback.partition(), feedback);
        return Set.of(feedback.feature());
    }

    private FeatureView feature(String name) {
        return features.computeIfAbsent(name, FeatureView::new);
    }

    public UserCounts activeUsers() {
        return activity.sum().map(ProjectActivity::activeUsers).orElse(UserCounts.NONE);
    }

    /** When the newest snapshot behind this view was taken. */
    public Optional<Instant> asOf() {
        Instant latest = activity.sum().map(ProjectActivity::asOf).orElse(null);
        for (FeatureView f : features.values()) {
            latest = max(latest, f.adoption().map(FeatureAdoption::asOf).orElse(null));
            latest = max(latest, f.friction().map(FeatureFriction::asOf).orElse(null));
            latest = max(latest, f.feedback().map(FeatureFeedback::asOf).orElse(null));
        }
        return Optional.ofNullable(latest);
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isAfter(b) ? a : b);
    }

    public Collection<FeatureView> features() {
        return features.values();
    }

    /** The feature's view, or an empty one (not kept) when it has no signals. */
    public FeatureView featureOrEmpty(String name) {
        return findFeature(name).orElseGet(() -> new FeatureView(name));
    }

    public Optional<FeatureView> findFeature(String name) {
        return Optional.ofNullable(features.get(name));
    }

    /** Every funnel of the project, by name. */
    public java.util.List<FunnelProgress> funnels() {
        return funnels.values().stream().flatMap(f -> f.sum().stream()).toList();
    }

    public Optional<FunnelProgress> funnel(String name) {
        return Optional.ofNullable(funnels.get(name)).flatMap(Slices::sum);
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
                f.feedback().map(FeatureFeedback::count).orElse(0L),
                f.feedback().map(FeatureFeedback::ratings28d).filter(java.util.Objects::nonNull)
                        .orElse(dev.northstar.model.snapshot.RatingSum.NONE),
                f.adoption().map(FeatureAdoption::trend),
                f.adoption().map(ProjectView::stickiness).orElse(0.0),
                f.adoption().map(FeatureAdoption::returningUsers).orElse(0L));
    }

    /**
     * Mean daily users over the 28 days of the daily series, divided by the users of the last 28 days
     * (0 without them): 1 when every user used the feature every day.
     */
    static double stickiness(FeatureAdoption adoption) {
        long users28 = adoption.users().d28();
        if (users28 == 0) {
            return 0;
        }
        long userDays = adoption.daily().stream().mapToLong(dev.northstar.model.snapshot.DailyUsers::users).sum();
        return Math.min(1.0, userDays / 28.0 / users28);
    }
}
