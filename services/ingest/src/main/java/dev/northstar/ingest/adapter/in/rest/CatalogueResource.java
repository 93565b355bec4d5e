package dev.northstar.ingest.adapter.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.platform.admin.AdminGuard;
import dev.northstar.ingest.application.FeatureCatalogue;
import dev.northstar.model.project.ProjectEvent.FeatureDeclared;
import dev.northstar.platform.problem.Problem;
import dev.northstar.platform.rest.BearerToken;
import dev.northstar.platform.usecase.Refused;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /v1/admin/projects/{projectId}/features} and {@code .../settings}: a project's feature
 * catalogue and whether ingest enforces it, for the operator holding the admin token (401 and 429
 * as for every admin operation, {@link AdminResource}). Every change is audited.
 */
@io.smallrye.common.annotation.Blocking
@Path("/v1/admin/projects/{projectId}")
@APIResponse(responseCode = "404", description = "No such project (or feature)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown project",
                value = ApiExamples.NO_SUCH_PROJECT)))
public class CatalogueResource {

    /** The catalogue of a project. */
    public record Catalogue(String projectId, List<FeatureDeclared> features) {
    }

    /** A project's settings. */
    public record Settings(String projectId, String catalogue) {
    }

    private final FeatureCatalogue catalogue;
    private final AdminGuard guard;

    public CatalogueResource(FeatureCatalogue catalogue, AdminGuard guard) {
        this.catalogue = catalogue;
        this.guard = guard;
    }

    private String authorized(String authorization, HttpServerRequest request) {
        String from = dev.northstar.platform.rest.ClientAddress.of(request);
        guard.authorize(BearerToken.from(authorization).orElse(null), from);
        return from;
    }

    /** Runs a change and audits its outcome. */
    private <T> Uni<T> audited(Supplier<Uni<? extends T>> change, String what, String projectId, String from) {
        return Uni.createFrom().<T>deferred(change)
                .invoke(done -> guard.audit(what, projectId, "done", from))
                .onFailure().invoke(failure -> guard.audit(what, projectId, failure instanceof Refused refused
                        ? refused.reason().name().toLowerCase(java.util.Locale.ROOT) : "failed", from));
    }

    @GET
    @Path("/features")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A project's feature catalogue", description = "Every declared feature, in name order.")
    public Catalogue list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @PathParam("projectId") String projectId, @Context HttpServerRequest request) {
        authorized(authorization, request);
        return new Catalogue(projectId, catalogue.list(projectId));
    }

    @GET
    @Path("/features/{feature}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One declared feature")
    @APIResponse(responseCode = "200", description = "The declaration",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "declared",
                    value = ApiExamples.DECLARATION)))
    public FeatureDeclared get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @PathParam("projectId") String projectId, @PathParam("feature") String feature,
                               @Context HttpServerRequest request) {
        authorized(authorization, request);
        return catalogue.get(projectId, feature);
    }

    @PUT
    @Path("/features/{feature}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Declare a feature, or replace its declaration",
            description = "Body {name, description, owner, releasedAt (YYYY-MM-DD), status: beta|ga|deprecated}, all "
                    + "optional (name defaults to the feature, status to ga). A declared feature is listed by insights "
                    + "even before any event names it, and sunset counts its age from releasedAt.")
    @APIResponse(responseCode = "201", description = "Declared", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "declared", value = ApiExamples.DECLARATION)))
    @APIResponse(responseCode = "200", description = "Declaration replaced")
    @APIResponse(responseCode = "400", description = "A field is invalid; the detail names it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad date",
                    value = ApiExamples.BAD_DECLARATION)))
    public Uni<Response> declare(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @PathParam("projectId") String projectId, @PathParam("feature") String feature,
                                 JsonNode body, @Context HttpServerRequest request) {
        String from = authorized(authorization, request);
        return audited(() -> catalogue.declare(projectId, feature, body), "feature.declare " + AdminGuard.field(feature), projectId, from)
                .map(d -> d.created()
                        ? Response.created(URI.create("/v1/admin/projects/" + projectId + "/features/" + feature))
                        .entity(d.declaration()).build()
                        : Response.ok(d.declaration()).build());
    }

    @DELETE
    @Path("/features/{feature}")
    @Operation(summary = "Remove a feature's declaration", description = "Its signals stay: they come from events.")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Response> remove(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @PathParam("projectId") String projectId, @PathParam("feature") String feature,
                                @Context HttpServerRequest request) {
        String from = authorized(authorization, request);
        return audited(() -> catalogue.remove(projectId, feature), "feature.remove " + AdminGuard.field(feature), projectId, from)
                .map(done -> Response.noContent().build());
    }

    @GET
    @Path("/settings")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A project's settings")
    public Settings settings(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @PathParam("projectId") String projectId, @Context HttpServerRequest request) {
        authorized(authorization, request);
        return new Settings(projectId, catalogue.mode(projectId).wireName());
    }

    @PUT
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a project's settings",
            description = "{\"catalogue\": \"strict\"}: ingest rejects, event by event, events for features the "
                    + "catalogue does not declare; \"open\" (the default) accepts them.")
    @APIResponse(responseCode = "200", description = "The settings now", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "strict", value = ApiExamples.SETTINGS)))
    public Uni<Settings> changeSettings(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                        @PathParam("projectId") String projectId, JsonNode body,
                                        @Context HttpServerRequest request) {
        String from = authorized(authorization, request);
        return audited(() -> catalogue.settings(projectId, body), "project.settings", projectId, from)
                .map(mode -> new Settings(projectId, mode.wireName()));
    }
}
