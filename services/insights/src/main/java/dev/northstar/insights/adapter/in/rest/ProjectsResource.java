package dev.northstar.insights.adapter.in.rest;

import dev.northstar.insights.adapter.in.rest.FeatureResponses.FeatureDetail;
import dev.northstar.insights.adapter.in.rest.FeatureResponses.FeatureSummary;
import dev.northstar.insights.adapter.in.rest.FeatureResponses.FeaturesPage;
import dev.northstar.insights.adapter.in.rest.FeatureResponses.FunnelDetail;
import dev.northstar.insights.adapter.in.rest.FeatureResponses.FunnelsPage;
import dev.northstar.insights.adapter.in.rest.FeatureResponses.Rating;
import dev.northstar.insights.application.InsightsView;
import dev.northstar.insights.application.SignalsCatchUp;
import dev.northstar.insights.domain.ProjectView;
import dev.northstar.kit.problem.ProblemException;
import dev.northstar.kit.registry.KeyRole;
import dev.northstar.kit.registry.KeyAuthenticator;
import dev.northstar.model.event.EventValidator;
import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.snapshot.FrictionRecord.FeatureFriction;
import dev.northstar.model.snapshot.UserCounts;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import dev.northstar.kit.problem.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The query API: what a project's features do, and what to do about them. Read key required. */
@Path("/v1/projects/{projectId}")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectsResource {

    private static final Pattern SLUG = Pattern.compile(EventValidator.SLUG_PATTERN_TEXT);
    private static final String SORTS = "adoption, users, uses, failureRate, rating, feature";

    private final InsightsView view;
    private final KeyAuthenticator keys;
    private final SignalsCatchUp signals;

    public ProjectsResource(InsightsView view, KeyAuthenticator keys, SignalsCatchUp signals) {
        this.view = view;
        this.keys = keys;
        this.signals = signals;
    }

    @GET
    @Path("/features")
    @Operation(summary = "Every feature with adoption, failure rate, rating and a recommendation with reasons")
    @APIResponse(responseCode = "200", description = "The project's features",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "example", value = ApiExamples.FEATURES)))
    @APIResponse(responseCode = "400", description = "Unknown sort or recommendation filter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad query", value = ApiExamples.BAD_QUERY)))
    @APIResponse(responseCode = "401", description = "Missing or wrong read key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no read key", value = ApiExamples.NO_READ_KEY)))
    @APIResponse(responseCode = "404", description = "No such project for this key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = ApiExamples.NOT_FOUND)))
    @APIResponse(responseCode = "503", description = "Still reading the signals after a start; retry after Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "loading",
                    value = ApiExamples.LOADING)))
    public FeaturesPage features(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @PathParam("projectId") String projectId,
                                 @QueryParam("recommendation") String recommendation,
                                 @QueryParam("sort") String sort) {
        authorize(authorization, projectId);
        Optional<FeatureInsight.Action> filter = parseAction(recommendation);
        Comparator<FeatureSummary> order = order(sort);
        return view.read(projectId, project -> new FeaturesPage(projectId, project.asOf().orElse(null),
                        project.activeUsers(),
                        project.features().stream()
                                .map(f -> summary(project, f))
                                .filter(s -> filter.map(a -> s.recommendation().action() == a).orElse(true))
                                .sorted(order)
                                .toList()))
                .orElse(new FeaturesPage(projectId, null, UserCounts.NONE, List.of()));
    }

    @GET
    @Path("/features/{feature}")
    @Operation(summary = "One feature: the summary plus its 28-day series, error codes, ratings and comments")
    @APIResponse(responseCode = "200", description = "The feature",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "example", value = ApiExamples.FEATURE)))
    @APIResponse(responseCode = "401", description = "Missing or wrong read key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no read key", value = ApiExamples.NO_READ_KEY)))
    @APIResponse(responseCode = "404", description = "No such project or feature",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = ApiExamples.NOT_FOUND)))
    @APIResponse(responseCode = "503", description = "Still reading the signals after a start; retry after Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "loading",
                    value = ApiExamples.LOADING)))
    public FeatureDetail feature(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @PathParam("projectId") String projectId, @PathParam("feature") String feature) {
        authorize(authorization, projectId);
        requireSlug(feature, "feature");
        return view.read(projectId, project -> project.findFeature(feature).map(f -> detail(project, f)))
                .flatMap(x -> x)
                .orElseThrow(() -> ProblemException.notFound("No feature " + feature + " in this project."));
    }

    @GET
    @Path("/funnels")
    @Operation(summary = "Every funnel of the project with users per step and step-to-step conversion")
    @APIResponse(responseCode = "200", description = "The project's funnels, by name",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "example", value = ApiExamples.FUNNELS)))
    @APIResponse(responseCode = "401", description = "Missing or wrong read key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no read key", value = ApiExamples.NO_READ_KEY)))
    @APIResponse(responseCode = "404", description = "No such project for this key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = ApiExamples.NOT_FOUND)))
    @APIResponse(responseCode = "503", description = "Still reading the signals after a start; retry after Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "loading",
                    value = ApiExamples.LOADING)))
    public FunnelsPage funnels(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @PathParam("projectId") String projectId) {
        authorize(authorization, projectId);
        return view.read(projectId, project -> new FunnelsPage(projectId, project.funnels().stream()
                        .map(p -> new FunnelDetail(projectId, p.funnel(), p.steps(), p.asOf())).toList()))
                .orElse(new FunnelsPage(projectId, List.of()));
    }

    @GET
    @Path("/funnels/{funnel}")
    @Operation(summary = "Distinct users reaching each step of a funnel, and step-to-step conversion")
    @APIResponse(responseCode = "200", description = "The funnel",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "example", value = ApiExamples.FUNNEL)))
    @APIResponse(responseCode = "401", description = "Missing or wrong read key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no read key", value = ApiExamples.NO_READ_KEY)))
    @APIResponse(responseCode = "404", description = "No such project or funnel",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = ApiExamples.NOT_FOUND)))
    @APIResponse(responseCode = "503", description = "Still reading the signals after a start; retry after Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "loading",
                    value = ApiExamples.LOADING)))
    public FunnelDetail funnel(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @PathParam("projectId") String projectId, @PathParam("funnel") String funnel) {
        authorize(authorization, projectId);
        requireSlug(funnel, "funnel");
        return view.read(projectId, project -> project.funnel(funnel)
                        .map(p -> new FunnelDetail(projectId, funnel, p.steps(), p.asOf())))
                .flatMap(x -> x)
                .orElseThrow(() -> ProblemException.notFound("No funnel " + funnel + " in this project."));
    }

    /** A read key of exactly this project; any other project answers 404, revealing nothing. */
    private void authorize(String authorization, String projectId) {
        String keyProject = keys.projectOf(authorization, KeyRole.READ);
        if (!keyProject.equals(projectId)) {
            throw ProblemException.notFound("No such project for this key.");
        }
        if (!signals.isCaughtUp()) {
            throw ProblemException.unavailable("Insights is still reading the signals since it started; retry shortly.",
                    java.time.Duration.ofSeconds(2));
        }
    }

    private static void requireSlug(String value, String what) {
        if (value == null || !SLUG.matcher(value).matches()) {
            throw ProblemException.notFound("No such " + what + ": names match " + EventValidator.SLUG_PATTERN_TEXT);
        }
    }

    private static Optional<FeatureInsight.Action> parseAction(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(FeatureInsight.Action.values())
                .filter(a -> a.wireName().equals(value.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> ProblemException.badRequest("recommendation: must be one of "
                        + Arrays.stream(FeatureInsight.Action.values()).map(FeatureInsight.Action::wireName)
                        .collect(Collectors.joining(", ")))));
    }

    private static Comparator<FeatureSummary> order(String sort) {
        String key = sort == null || sort.isBlank() ? "adoption" : sort;
        Comparator<FeatureSummary> byName = Comparator.comparing(FeatureSummary::feature);
        return switch (key) {
            case "adoption" -> Comparator.comparingDouble(FeatureSummary::adoption).reversed().thenComparing(byName);
            case "users" -> Comparator.comparingLong((FeatureSummary s) -> s.users().d28()).reversed().thenComparing(byName);
            case "uses" -> Comparator.comparingLong(FeatureSummary::uses).reversed().thenComparing(byName);
            case "failureRate" -> Comparator.comparingDouble(FeatureSummary::failureRate).reversed().thenComparing(byName);
            case "rating" -> Comparator.comparingDouble((FeatureSummary s) -> s.rating().avg() == null ? -1 : s.rating().avg())
                    .reversed().thenComparing(byName);
            case "feature" -> byName;
            default -> throw ProblemException.badRequest("sort: must be one of " + SORTS);
        };
    }

    private FeatureSummary summary(ProjectView project, ProjectView.FeatureView f) {
        var facts = project.facts(f);
        return new FeatureSummary(f.feature(), f.adoption().map(FeatureAdoption::uses).orElse(0L),
                f.adoption().map(FeatureAdoption::users).orElse(UserCounts.NONE), facts.adoption(),
                facts.failureRate(), new Rating(facts.ratingAverage().orElse(null), facts.ratingCount()),
                view.recommend(project, f));
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
                f.feedback().map(FeatureFeedback::recentComments).orElse(List.of()));
    }
}
