package dev.northstar.insights.application;

import dev.northstar.insights.application.FeatureResponses.FeatureDetail;
import dev.northstar.insights.application.FeatureResponses.FeatureSummary;
import dev.northstar.insights.application.FeatureResponses.FeaturesPage;
import dev.northstar.insights.application.FeatureResponses.FunnelDetail;
import dev.northstar.insights.application.FeatureResponses.FunnelsPage;
import dev.northstar.insights.application.FeatureResponses.Rating;
import dev.northstar.insights.domain.ProjectView;
import dev.northstar.model.event.Slug;
import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.snapshot.FrictionRecord.FeatureFriction;
import dev.northstar.model.snapshot.UserCounts;
import dev.northstar.platform.usecase.Refused;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The query API's use cases: a project's features (filtered by recommendation, in an order), one
 * feature, its funnels. Until this instance has read the signals it had when it started, every
 * query is refused as unavailable rather than answered with numbers that are only partly loaded.
 */
@ApplicationScoped
public class FeatureQueries {

    private static final Duration LOADING_RETRY = Duration.ofSeconds(2);

    /** The orders of the features list ({@code ?sort=}); the first is the default. */
    public enum Sort {
        ADOPTION("adoption", Comparator.comparingDouble(FeatureSummary::adoption).reversed()),
        USERS("users", Comparator.comparingLong((FeatureSummary s) -> s.users().d28()).reversed()),
        USES("uses", Comparator.comparingLong(FeatureSummary::uses).reversed()),
        FAILURE_RATE("failureRate", Comparator.comparingDouble(FeatureSummary::failureRate).reversed()),
        RATING("rating", Comparator.comparingDouble((FeatureSummary s) -> s.rating().avg() == null ? -1 : s.rating().avg())
                .reversed()),
        FEATURE("feature", (a, b) -> 0);

        private final String wireName;
        private final Comparator<FeatureSummary> order;

        Sort(String wireName, Comparator<FeatureSummary> order) {
            this.wireName = wireName;
            this.order = order.thenComparing(FeatureSummary::feature);
        }

        /** The sort a query names; none is {@link #ADOPTION}; an unknown one is refused, listing the known. */
        public static Sort parse(String text) {
            if (text == null || text.isBlank()) {
                return ADOPTION;
            }
            return Arrays.stream(values()).filter(s -> s.wireName.equals(text)).findFirst()
                    .orElseThrow(() -> Refused.invalid("sort: must be one of "
                            + Arrays.stream(values()).map(s -> s.wireName).collect(Collectors.joining(", "))));
        }
    }

    /** A recommendation filter ({@code ?recommendation=}); none is no filter. */
    public static Optional<FeatureInsight.Action> parseAction(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(FeatureInsight.Action.values())
                .filter(a -> a.wireName().equals(text.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> Refused.invalid("recommendation: must be one of "
                        + Arrays.stream(FeatureInsight.Action.values()).map(FeatureInsight.Action::wireName)
                        .collect(Collectors.joining(", ")))));
    }

    /** The features list of a project: which recommendation to keep (none: all) and in which order. */
    public record FeaturesQuery(String projectId, Optional<FeatureInsight.Action> recommendation, Sort sort) {
    }

    private final InsightsView view;
    private final SignalsCatchUp signals;

    private final FeatureHistories histories;

    public FeatureQueries(InsightsView view, SignalsCatchUp signals, FeatureHistories histories) {
        this.view = view;
        this.signals = signals;
        this.histories = histories;
    }

    public FeaturesPage features(FeaturesQuery query) {
        requireLoaded();
        String projectId = query.projectId();
        return view.read(projectId, project -> new FeaturesPage(projectId, project.asOf().orElse(null),
                        project.activeUsers(),
                        view.features(project).stream()
                                .map(f -> summary(project, f))
                                .filter(s -> query.recommendation().map(a -> s.recommendation().action() == a).orElse(true))
                                .sorted(query.sort().order)
                                .toList()))
                .orElse(new FeaturesPage(projectId, null, UserCounts.NONE, List.of()));
    }

    public FeatureDetail feature(String projectId, String feature) {
        requireLoaded();
        requireSlug(feature, "feature");
        return view.read(projectId, project -> view.feature(project, feature).map(f -> detail(project, f)))
                .flatMap(x -> x)
                .orElseThrow(() -> Refused.notFound("No feature " + feature + " in this project."));
    }

    /** A feature's recommendation history, newest first: 404 for a feature the project does not have. */
    public FeatureResponses.FeatureHistoryPage history(String projectId, String feature) {
        requireLoaded();
        requireSlug(feature, "feature");
        var history = histories.of(dev.northstar.model.topic.Topics.featureKey(projectId, feature));
        boolean known = history.isPresent() || view.read(projectId, project -> view.feature(project, feature).isPresent())
                .orElse(false);
        if (!known) {
            throw Refused.notFound("No feature " + feature + " in this project.");
        }
        return history.map(h -> new FeatureResponses.FeatureHistoryPage(projectId, feature, h.action(), h.changes()))
                .orElse(new FeatureResponses.FeatureHistoryPage(projectId, feature, null, List.of()));
    }

    public FunnelsPage funnels(String projectId) {
        requireLoaded();
        return view.read(projectId, project -> new FunnelsPage(projectId, project.funnels().stream()
                        .map(p -> new FunnelDetail(projectId, p.funnel(), p.steps(), p.asOf(),
                                p.conversionWindowDays())).toList()))
                .orElse(new FunnelsPage(projectId, List.of()));
    }

    public FunnelDetail funnel(String projectId, String funnel) {
        requireLoaded();
        requireSlug(funnel, "funnel");
        return view.read(projectId, project -> project.funnel(funnel)
                        .map(p -> new FunnelDetail(projectId, funnel, p.steps(), p.asOf(), p.conversionWindowDays())))
                .flatMap(x -> x)
                .orElseThrow(() -> Refused.notFound("No funnel " + funnel + " in this project."));
    }

    private void requireLoaded() {
        if (!signals.isCaughtUp()) {
            throw Refused.unavailable("Insights is still reading the signals since it started; retry shortly.",
                    LOADING_RETRY);
        }
    }

    private static void requireSlug(String value, String what) {
        if (!Slug.isValid(value)) {
            throw Refused.notFound("No such " + what + ": names match " + Slug.PATTERN);
        }
    }

    private FeatureSummary summary(ProjectView project, ProjectView.FeatureView f) {
        var facts = view.facts(project, f);
        var declared = view.declaration(project.projectId(), f.feature());
        return new FeatureSummary(f.feature(), f.adoption().map(FeatureAdoption::uses).orElse(0L),
                f.adoption().map(FeatureAdoption::users).orElse(UserCounts.NONE), facts.adoption(),
                facts.failureRate(), new Rating(facts.ratingAverage().orElse(null), facts.ratingCount()),
                view.recommend(project, f), f.adoption().map(FeatureAdoption::usesByWindow).orElse(null),
                new Rating(facts.ratings28d().average(), facts.ratings28d().count()),
                facts.trend().orElse(null), Math.round(facts.stickiness() * 10_000) / 10_000.0,
                f.adoption().map(FeatureAdoption::returningUsers).orElse(null), declared.isPresent(),
                declared.map(d -> new FeatureResponses.CatalogueEntry(d.name(), d.description(), d.owner(),
                        d.releasedAt(), d.status() == null ? null : d.status().wireName())).orElse(null));
    }

    private FeatureDetail detail(ProjectView project, ProjectView.FeatureView f) {
        FeatureSummary s = summary(project, f);
        Instant asOf = project.asOf().orElse(null);
        return new FeatureDetail(project.projectId(), asOf, project.activeUsers(), s.feature(), s.uses(), s.users(),
                s.adoption(), s.failureRate(), s.rating(), s.recommendation(),
                f.adoption().map(FeatureAdoption::firstSeen).orElse(null),
                f.adoption().map(FeatureAdoption::lastSeen).orElse(null),
                f.adoption().map(FeatureAdoption::daily).orElse(List.of()),
                f.friction().map(FeatureFriction::failures).orElse(0L),
                f.friction().map(FeatureFriction::topErrorCodes).orElse(List.of()),
                f.feedback().map(FeatureFeedback::distribution).orElse(List.of(0L, 0L, 0L, 0L, 0L)),
                f.feedback().map(FeatureFeedback::recentComments).orElse(List.of()), s.usesByWindow(), s.rating28d(),
                f.friction().map(FeatureFriction::errorCodes28d).orElse(List.of()),
                f.friction().map(FeatureFriction::otherErrors28d).orElse(0L), s.trend(), s.stickiness(),
                s.returningUsers(), s.declared(), s.catalogue());
    }
}
