package dev.northstar.insights.adapter.in.rest;

import dev.northstar.insights.application.FeatureQueries;
import dev.northstar.insights.application.FeatureResponses;
import dev.northstar.insights.application.FeatureQueries.FeaturesQuery;
import dev.northstar.insights.application.FeatureResponses.FeatureDetail;
import dev.northstar.insights.application.FeatureResponses.FeaturesPage;
import dev.northstar.insights.application.FeatureResponses.FunnelDetail;
import dev.northstar.insights.application.FeatureResponses.FunnelsPage;
import dev.northstar.platform.problem.Problem;
import dev.northstar.platform.usecase.Refused;
import dev.northstar.registry.KeyAuthenticator;
import dev.northstar.registry.KeyRole;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.Context;
import io.vertx.core.http.HttpServerRequest;
import dev.northstar.platform.rest.ClientAddress;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The query API: what a project's features do, and what to do about them. Read key required: a key
 * of another project answers 404, revealing nothing. The answers every operation shares (401, 404,
 * 503) are documented once, on the class; each operation adds its own.
 */
@Path("/v1/projects/{projectId}")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing or wrong read key",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no read key", value = ApiExamples.NO_READ_KEY)))
@APIResponse(responseCode = "404", description = "No such project for this key (or no such feature or funnel)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = ApiExamples.NOT_FOUND)))
@APIResponse(responseCode = "503", description = "Still reading the signals after a start; retry after Retry-After",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "loading", value = ApiExamples.LOADING)))
public class ProjectsResource {

    private final FeatureQueries queries;
    private final KeyAuthenticator keys;

    public ProjectsResource(FeatureQueries queries, KeyAuthenticator keys) {
        this.queries = queries;
        this.keys = keys;
    }

    @GET
    @Path("/features")
    @Operation(summary = "Every feature with adoption, failure rate, rating and a recommendation with reasons")
    @APIResponse(responseCode = "200", description = "The project's features",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "example", value = ApiExamples.FEATURES)))
    @APIResponse(responseCode = "400", description = "Unknown sort or recommendation filter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad query", value = ApiExamples.BAD_QUERY)))
    public FeaturesPage features(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request,
                                 @PathParam("projectId") String projectId,
                                 @QueryParam("recommendation") String recommendation,
                                 @QueryParam("sort") String sort) {
        authorize(authorization, projectId, request);
        return queries.features(new FeaturesQuery(projectId, FeatureQueries.parseAction(recommendation),
                FeatureQueries.Sort.parse(sort)));
    }

    @GET
    @Path("/features/{feature}")
    @Operation(summary = "One feature: the summary plus its 28-day series, error codes, ratings and comments")
    @APIResponse(responseCode = "200", description = "The feature",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "example", value = ApiExamples.FEATURE)))
    public FeatureDetail feature(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request,
                                 @PathParam("projectId") String projectId, @PathParam("feature") String feature) {
        authorize(authorization, projectId, request);
        return queries.feature(projectId, feature);
    }

    @GET
    @Path("/features/{feature}/history")
    @Operation(summary = "How a feature's recommendation changed, newest first (at most 50 changes)",
            description = "Each change with its time, the action before and after, the numbers and the reasons of the "
                    + "new call. Recorded by the notifier service: a call counts once it has held for its settle period "
                    + "(90 s by default); the first entry is the first call the notifier saw.")
    @APIResponse(responseCode = "200", description = "The history",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "example", value = ApiExamples.HISTORY)))
    public FeatureResponses.FeatureHistoryPage history(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request,
                                                       @PathParam("projectId") String projectId,
                                                       @PathParam("feature") String feature) {
        authorize(authorization, projectId, request);
        return queries.history(projectId, feature);
    }

    @GET
    @Path("/funnels")
    @Operation(summary = "Every funnel of the project with users per step and step-to-step conversion")
    @APIResponse(responseCode = "200", description = "The project's funnels, by name",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "example", value = ApiExamples.FUNNELS)))
    public FunnelsPage funnels(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request,
                               @PathParam("projectId") String projectId) {
        authorize(authorization, projectId, request);
        return queries.funnels(projectId);
    }

    @GET
    @Path("/funnels/{funnel}")
    @Operation(summary = "Distinct users reaching each step of a funnel, and step-to-step conversion")
    @APIResponse(responseCode = "200", description = "The funnel",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "example", value = ApiExamples.FUNNEL)))
    public FunnelDetail funnel(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request,
                               @PathParam("projectId") String projectId, @PathParam("funnel") String funnel) {
        authorize(authorization, projectId, request);
        return queries.funnel(projectId, funnel);
    }

    /** A read key of exactly this project; any other project answers 404, revealing nothing. */
    private void authorize(String authorization, String projectId, HttpServerRequest request) {
        if (!keys.projectOf(authorization, KeyRole.READ, ClientAddress.of(request)).equals(projectId)) {
            throw Refused.notFound("No such project for this key.");
        }
    }
}
