package dev.northstar.insights.application;

import dev.northstar.insights.config.InsightsConfig;
import dev.northstar.insights.domain.ProjectView;
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

    public InsightsView(InsightsConfig config, Clock clock) {
        this.recommender = new Recommender(config.rules().thresholds());
        this.clock = clock;
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

    /** Reads a project under the view's lock; empty when nothing is known about it yet. */
    public synchronized <T> Optional<T> read(String projectId, Function<ProjectView, T> reader) {
        ProjectView view = projects.get(projectId);
        return view == null ? Optional.empty() : Optional.of(reader.apply(view));
    }

    /** The recommendation for a feature of a project, as of now. */
    public FeatureInsight.Recommendation recommend(ProjectView project, ProjectView.FeatureView feature) {
        return recommender.recommend(project.facts(feature), clock.instant());
    }

    public FeatureInsight insight(ProjectView project, ProjectView.FeatureView feature) {
        var facts = project.facts(feature);
        Instant now = clock.instant();
        return new FeatureInsight(project.projectId(), feature.feature(), facts.adoption(), facts.failureRate(),
                facts.ratingAverage().orElse(null), facts.ratingCount(), recommender.recommend(facts, now), now);
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
