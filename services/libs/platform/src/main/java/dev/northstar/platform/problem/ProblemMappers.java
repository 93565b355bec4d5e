package dev.northstar.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.platform.usecase.Refused;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;


/**
 * Turns every error of a REST endpoint into RFC 7807 problem+json: use cases' {@link Refused},
 * adapters' {@link ProblemException}, the framework's own errors, and anything unexpected.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return answer(e.problem(), e.retryAfter());
    }

    /** A use case's refusal: the one place a {@link Refused.Reason} becomes an HTTP status. */
    @ServerExceptionMapper
    public Response refused(Refused e) {
        Response.Status status = switch (e.reason()) {
            case INVALID -> Response.Status.BAD_REQUEST;
            case NOT_AUTHENTICATED -> Response.Status.UNAUTHORIZED;
            case NOT_FOUND -> Response.Status.NOT_FOUND;
            case CONFLICT -> Response.Status.CONFLICT;
            case TOO_LARGE -> Response.Status.REQUEST_ENTITY_TOO_LARGE;
            case RATE_LIMITED -> Response.Status.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> Response.Status.SERVICE_UNAVAILABLE;
        };
        return answer(Problem.of(status, e.getMessage()), e.retryAfter());
    }

    private static Response answer(Problem problem, java.util.Optional<java.time.Duration> retryAfter) {
        Response response = problem.toResponse();
        if (retryAfter.isPresent()) {
            return Response.fromResponse(response)
                    .header("Retry-After", Math.max(1, retryAfter.get().toSeconds())).build();
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
