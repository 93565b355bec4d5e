package dev.northstar.insights.application;

import dev.northstar.insights.config.InsightsConfig;
import dev.northstar.insights.domain.FeatureFacts;
import dev.northstar.insights.domain.ProjectView;
import dev.northstar.model.project.ProjectEvent;
import dev.northstar.registry.ProjectRegistry;
import dev.northstar.insights.domain.Recommender;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.model.topic.Keyed;
import dev.northstar.model.topic.Topics;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The joined view of every project this instance serves, fed by the snapshot topics, read by the
 * query API and the insights publisher. Access is serialized on this object.
 */
@ApplicationScoped
public class InsightsView {

    private final Map<String, ProjectView> projects = new HashMap<>();
    private final Set<Keyed<String>> changed = new LinkedHashSet<>();
    private final Recommender recommender;
    private final Clock clock;
    private final ProjectRegistry registry;

    public InsightsView(InsightsConfig config, Clock clock, ProjectRegistry registry) {
        this.recommender = new Recommender(config.rules().thresholds());
        this.clock = clock;
        this.registry = registry;
    }

    public synchronized void apply(AdoptionRecord record) {
        markChanged(record.projectId(), project(record.projectId()).apply(record));
    }

    public synchronized void apply(FrictionRecord record) {
        markChanged(record.projectId(), project(record.projectId()).apply(record));
    }

    public synchronized void apply(FeatureFeedback record) {
        markChanged(record.projectId(), project(record.projectId()).apply(record));
    }

    /**
     * Reads a project under the view's lock; empty when nothing is known about it yet (neither signals
     * nor declared features).
     */
    public synchronized <T> Optional<T> read(String projectId, Function<ProjectView, T> reader) {
        ProjectView view = projects.get(projectId);
        if (view == null && !registry.declaredFeatures(projectId).isEmpty()) {
            view = new ProjectView(projectId); // declared features, no signals yet
        }
        return view == null ? Optional.empty() : Optional.of(reader.apply(view));
    }

    /**
     * A project's features: those with signals and those declared in its catalogue (a declared feature
     * nobody used yet has no signals), in name order.
     */
    public List<ProjectView.FeatureView> features(ProjectView project) {
        java.util.Map<String, ProjectView.FeatureView> all = new java.util.TreeMap<>();
        project.features().forEach(f -> all.put(f.feature(), f));
        registry.declaredFeatures(project.projectId()).forEach(d -> all.computeIfAbsent(d.feature(), project::featureOrEmpty));
        return List.copyOf(all.values());
    }

    /** One feature of a project: with signals, or declared. */
    public Optional<ProjectView.FeatureView> feature(ProjectView project, String feature) {
        return project.findFeature(feature).or(() -> registry.declared(project.projectId(), feature)
                .map(d -> project.featureOrEmpty(feature)));
    }

    /** The feature's declaration in its project's catalogue, if it has one. */
    public Optional<ProjectEvent.FeatureDeclared> declaration(String projectId, String feature) {
        return registry.declared(projectId, feature);
    }

    /** The numbers a recommendation is made from, with the declared release when there is one. */
    public FeatureFacts facts(ProjectView project, ProjectView.FeatureView feature) {
        FeatureFacts facts = project.facts(feature);
        return registry.declared(project.projectId(), feature.feature())
                .map(ProjectEvent.FeatureDeclared::releasedAt).map(facts::releasedOn).orElse(facts);
    }

    /** The recommendation for a feature of a project, as of now. */
    public FeatureInsight.Recommendation recommend(ProjectView project, ProjectView.FeatureView feature) {
        return recommender.recommend(facts(project, feature), clock.instant());
    }

    public FeatureInsight insight(ProjectView project, ProjectView.FeatureView feature) {
        var facts = facts(project, feature);
        Instant now = clock.instant();
        return new FeatureInsight(project.projectId(), feature.feature(), facts.adoption(), facts.failureRate(),
                facts.ratingAverage().orElse(null), facts.ratingCount(), recommender.recommend(facts, now), now,
                recommender.failing(facts));
    }

    /** Insights of every feature whose signals changed since the last drain. */
    public synchronized List<Keyed<FeatureInsight>> drainChanged() {
        List<Keyed<FeatureInsight>> out = new ArrayList<>();
        for (Keyed<String> key : changed) {
            ProjectView project = projects.get(key.key());
            project.findFeature(key.value()).ifPresent(feature ->
                    out.add(new Keyed<>(Topics.featureKey(project.projectId(), feature.feature()),
                            insight(project, feature))));
        }
        changed.clear();
        return out;
    }

    public synchronized void markAllChanged() {
        projects.values().forEach(p -> p.features().forEach(f -> changed.add(new Keyed<>(p.projectId(), f.feature()))));
    }

    private ProjectView project(String projectId) {
        return projects.computeIfAbsent(projectId, ProjectView::new);
    }

    private void markChanged(String projectId, Set<String> features) {
        features.forEach(f -> changed.add(new Keyed<>(projectId, f)));
    }
}
