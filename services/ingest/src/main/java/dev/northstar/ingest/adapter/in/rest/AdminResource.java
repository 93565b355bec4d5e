package dev.northstar.ingest.adapter.in.rest;

import dev.northstar.ingest.application.RegisterProject;
import dev.northstar.platform.problem.ProblemException;
import dev.northstar.platform.rest.BearerToken;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
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
 * The answer every operation shares (401) is documented once, here.
 */
@Path("/v1/admin/projects")
@APIResponse(responseCode = "401", description = "Missing or wrong admin token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no admin token",
                value = ApiExamples.NO_ADMIN_TOKEN)))
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

    private final RegisterProject registerProject;

    public AdminResource(RegisterProject registerProject) {
        this.registerProject = registerProject;
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
    public Uni<Response> create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, CreateProject body) {
        registerProject.authorizeAdmin(BearerToken.from(authorization).orElse(null));
        if (body == null) {
            throw ProblemException.badRequest("The body must be {\"projectId\": \"...\", \"name\": \"...\"}");
        }
        return registerProject.register(body.projectId(), body.name())
                .onItem().transform(p -> Response.created(URI.create("/v1/admin/projects/" + p.projectId()))
                        .entity(new CreatedProject(p.projectId(), p.name(), p.writeKey(), p.readKey())).build());
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
                                      @PathParam("projectId") String projectId) {
        registerProject.authorizeAdmin(BearerToken.from(authorization).orElse(null));
        return registerProject.rotateKeys(projectId)
                .onItem().transform(p -> new CreatedProject(p.projectId(), p.name(), p.writeKey(), p.readKey()));
    }
}
