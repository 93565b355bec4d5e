package dev.northstar.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.northstar.model.json.NorthstarJson;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;


/** Turns every error of a REST endpoint into RFC 7807 problem+json. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response response = e.problem().toResponse();
        if (e.retryAfter().isPresent()) {
            return Response.fromResponse(response)
                    .header("Retry-After", Math.max(1, e.retryAfter().get().toSeconds())).build();
        }
        return response;
    }

    /** Malformed or mistyped JSON in a request body: say what and where. */
    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return Problem.of(Response.Status.BAD_REQUEST, NorthstarJson.describe(e)).toResponse();
    }

    /** 404, 405, 406, 415 and friends from the framework, in the same shape. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed on this resource.";
            case 406 -> "This resource cannot answer in the media type asked for.";
            case 415 -> "Content-Type must be application/json.";
            default -> e.getMessage();
        };
        return Problem.of(status, detail).toResponse();
    }

    /** Anything unexpected: logged with its stack, answered without internals. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("Unexpected error while handling a request", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "An unexpected error occurred.").toResponse();
    }
}
