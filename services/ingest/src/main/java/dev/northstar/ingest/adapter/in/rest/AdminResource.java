package dev.northstar.ingest.adapter.in.rest;

import dev.northstar.platform.admin.AdminGuard;
import dev.northstar.ingest.application.EraseActor;
import dev.northstar.ingest.application.RegisterProject;
import dev.northstar.platform.usecase.Refused;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import dev.northstar.platform.problem.ProblemException;
import dev.northstar.platform.rest.BearerToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import dev.northstar.platform.problem.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;

/**
 * {@code /v1/admin/projects}: projects and their keys, for the operator holding the admin token.
 * The answers every operation shares (401, and 429 after too many failed authentications from one
 * address) are documented once, here. Every action and refusal is written to the audit log
 * ({@link AdminGuard}). Runs on worker threads: until the registry has caught up, its check asks the broker
 * and waits (rare, admin-only requests; the event loop is never held).
 */
@io.smallrye.common.annotation.Blocking
@Path("/v1/admin/projects")
@APIResponse(responseCode = "401", description = "Missing or wrong admin token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no admin token",
                value = ApiExamples.NO_ADMIN_TOKEN)))
@APIResponse(responseCode = "429", description = "Too many failed admin authentications from this address; "
        + "retry after Retry-After", headers = @org.eclipse.microprofile.openapi.annotations.headers.Header(
        name = "Retry-After", description = "Seconds to wait"),
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "too many failures",
                value = ApiExamples.ADMIN_LIMITED)))
public class AdminResource {

    /** The body of a create request. */
    public record CreateProject(String projectId, String name) {
    }

    /** The answer: the keys appear here once and nowhere else. */
    public record CreatedProject(String projectId, String name, String writeKey, String readKey) {
        @Override
        public String toString() {
            return "CreatedProject[projectId=" + projectId + ", keys=<redacted>]";
        }
    }

    /** The answer to an erasure: accepted, and on its way to every signal service. */
    public record ErasureAccepted(String erasureId, String projectId, String actorId, java.time.Instant requestedAt,
                                  String status) {
    }

    private final RegisterProject registerProject;
    private final EraseActor eraseActor;
    private final AdminGuard guard;
    private final dev.northstar.ingest.application.ErasureStatuses erasures;

    public AdminResource(RegisterProject registerProject, EraseActor eraseActor, AdminGuard guard,
                         dev.northstar.ingest.application.ErasureStatuses erasures) {
        this.erasures = erasures;
        this.registerProject = registerProject;
        this.eraseActor = eraseActor;
        this.guard = guard;
    }

    /** Where a request comes from, for the audit log and the failure limit. */
    private static String from(HttpServerRequest request) {
        return dev.northstar.platform.rest.ClientAddress.of(request);
    }

    /** Audits the outcome of an admin action: its status class, or the reason it was refused. */
    private <T> Uni<T> audited(Uni<T> action, String what, String projectId, String from, String success) {
        return action.invoke(done -> guard.audit(what, projectId, success, from))
                .onFailure().invoke(failure -> guard.audit(what, projectId, failure instanceof Refused refused
                        ? refused.reason().name().toLowerCase(java.util.Locale.ROOT) : "failed", from));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a project", description = "Returns its write key and read key, once.")
    @APIResponse(responseCode = "201", description = "Created; the keys are shown only in this answer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created",
                    value = ApiExamples.CREATED_PROJECT)))
    @APIResponse(responseCode = "400", description = "Invalid projectId or name",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad id",
                    value = ApiExamples.BAD_PROJECT_ID)))
    @APIResponse(responseCode = "409", description = "The project exists",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "exists",
                    value = ApiExamples.PROJECT_EXISTS)))
    public Uni<Response> create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, CreateProject body,
                                @Context HttpServerRequest request) {
        String from = from(request);
        guard.authorize(BearerToken.from(authorization).orElse(null), from);
        if (body == null) {
            guard.audit("project.create", null, "invalid", from);
            throw ProblemException.badRequest("The body must be {\"projectId\": \"...\", \"name\": \"...\"}");
        }
        return audited(Uni.createFrom().deferred(() -> registerProject.register(body.projectId(), body.name())),
                "project.create", body.projectId(), from, "created")
                .onItem().transform(p -> Response.created(URI.create("/v1/admin/projects/" + p.projectId()))
                        .entity(new CreatedProject(p.projectId(), p.name(), p.writeKey(), p.readKey())).build());
    }

    /** A project as listed: never its keys. */
    public record ProjectListed(String projectId, String name, java.time.Instant keysIssuedAt) {
    }

    public record ProjectList(java.util.List<ProjectListed> projects) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every project", description = "Id, name and when its current keys were issued; never keys.")
    @APIResponse(responseCode = "200", description = "The projects, by id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "projects",
                    value = "{\"projects\": [{\"projectId\": \"shop-web\", \"name\": \"Shop\", "
                            + "\"keysIssuedAt\": \"2026-11-24T12:00:00Z\"}]}")))
    public ProjectList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @Context HttpServerRequest request) {
        String from = from(request);
        guard.authorize(BearerToken.from(authorization).orElse(null), from);
        return new ProjectList(registerProject.list().stream()
                .map(p -> new ProjectListed(p.projectId(), p.name(), p.at())).toList());
    }

    @POST
    @Path("/{projectId}/keys/rotate")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate a project's keys", description = "Returns new keys, once; the old ones stop working.")
    @APIResponse(responseCode = "200", description = "The new keys, shown only in this answer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "rotated",
                    value = ApiExamples.CREATED_PROJECT)))
    @APIResponse(responseCode = "404", description = "No such project",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown project",
                    value = ApiExamples.NO_SUCH_PROJECT)))
    public Uni<CreatedProject> rotate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                      @PathParam("projectId") String projectId, @Context HttpServerRequest request) {
        String from = from(request);
        guard.authorize(BearerToken.from(authorization).orElse(null), from);
        return audited(Uni.createFrom().deferred(() -> registerProject.rotateKeys(projectId)), "project.rotate-keys",
                projectId, from, "rotated")
                .onItem().transform(p -> new CreatedProject(p.projectId(), p.name(), p.writeKey(), p.readKey()));
    }

    @DELETE
    @Path("/{projectId}/users/{actorId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Erase a person from a project",
            description = "Removes the actor (a userId or an anonymousId) from every number: adoption, activity, "
                    + "funnel progress, failures, ratings and comments. Accepted once the erasure is on Kafka; the "
                    + "served numbers follow within seconds, and no replay or restart counts the actor again. An "
                    + "actor the project never saw is accepted and changes nothing. What still holds the person's "
                    + "data afterwards: README, 'Erasure'.")
    @APIResponse(responseCode = "202", description = "Accepted: the erasure is recorded and being applied",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "accepted",
                    value = ApiExamples.ERASURE_ACCEPTED)))
    @APIResponse(responseCode = "400", description = "Invalid actorId",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad actor id",
                    value = ApiExamples.BAD_ACTOR_ID)))
    @APIResponse(responseCode = "404", description = "No such project",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown project",
                    value = ApiExamples.NO_SUCH_PROJECT)))
    public Uni<Response> erase(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @PathParam("projectId") String projectId, @PathParam("actorId") String actorId,
                               @Context HttpServerRequest request) {
        String from = from(request);
        guard.authorize(BearerToken.from(authorization).orElse(null), from);
        // The audit line names the project and the erasure, never the person.
        return Uni.createFrom().deferred(() -> eraseActor.erase(projectId, actorId))
                .invoke(e -> guard.audit("user.erase erasure=" + e.erasureId(), projectId, "accepted", from))
                .onFailure().invoke(failure -> guard.audit("user.erase", projectId, failure instanceof Refused refused
                        ? refused.reason().name().toLowerCase(java.util.Locale.ROOT) : "failed", from))
                .onItem().transform(e -> Response.accepted(new ErasureAccepted(e.erasureId(), e.projectId(),
                        actorId, e.requestedAt(), "accepted")).build());
    }

    @jakarta.ws.rs.GET
    @Path("/{projectId}/erasures/{erasureId}")
    @Produces(MediaType.APPLICATION_JSON)
    @io.smallrye.common.annotation.Blocking
    @Operation(summary = "Where an erasure stands",
            description = "pending until every signal service says every partition of the events topic reflects it "
                    + "(rebuilt without the person, or never holding the project), then applied, with the time. ids: "
                    + "the person's ids erased, the one asked for and every anonymous id linked to it. services: per "
                    + "signal service, partitions reflecting it of all.")
    @APIResponse(responseCode = "200", description = "The erasure's status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "applied",
                    value = ApiExamples.ERASURE_STATUS)))
    @APIResponse(responseCode = "404", description = "No such erasure in this project",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "unknown erasure",
                    value = ApiExamples.NO_SUCH_ERASURE)))
    public dev.northstar.ingest.application.ErasureStatuses.Status erasure(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("projectId") String projectId,
            @PathParam("erasureId") String erasureId, @Context HttpServerRequest request) {
        guard.authorize(BearerToken.from(authorization).orElse(null), from(request));
        return erasures.status(projectId, erasureId);
    }
}
