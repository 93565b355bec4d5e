package dev.northstar.platform.problem;

import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.Optional;

/** Ends a request with a problem+json answer. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Duration retryAfter;

    public ProblemException(Response.Status status, String detail) {
        this(Problem.of(status, detail), null);
    }

    public ProblemException(Problem problem, Duration retryAfter) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(Response.Status.UNAUTHORIZED, detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Response.Status.NOT_FOUND, detail);
    }

    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(Problem.of(Response.Status.SERVICE_UNAVAILABLE, detail), retryAfter);
    }

    public Problem problem() {
        return problem;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
