package dev.northstar.platform.usecase;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A use case's refusal, in the product's words: why (a {@link Reason}) and what was wrong and where
 * (the message, which the caller sees). Application code throws it and knows nothing of HTTP; one
 * mapper ({@code ProblemMappers}) answers it as problem+json with the matching status.
 */
public final class Refused extends RuntimeException {

    /** Why a request is refused. */
    public enum Reason {
        /** The input is wrong: the message says which field and how. */
        INVALID,
        /** No valid credentials for this. */
        NOT_AUTHENTICATED,
        /** No such thing, or none this caller may see. */
        NOT_FOUND,
        /** It exists already. */
        CONFLICT,
        /** More than one request may carry. */
        TOO_LARGE,
        /** Over the caller's rate: retry after the given time. */
        RATE_LIMITED,
        /** Cannot be done right now (Kafka, loading): retry after the given time. */
        UNAVAILABLE
    }

    private final Reason reason;
    private final Duration retryAfter;

    private Refused(Reason reason, String detail, Duration retryAfter) {
        super(Objects.requireNonNull(detail), null, false, false);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public static Refused invalid(String detail) {
        return new Refused(Reason.INVALID, detail, null);
    }

    public static Refused notAuthenticated(String detail) {
        return new Refused(Reason.NOT_AUTHENTICATED, detail, null);
    }

    public static Refused notFound(String detail) {
        return new Refused(Reason.NOT_FOUND, detail, null);
    }

    public static Refused conflict(String detail) {
        return new Refused(Reason.CONFLICT, detail, null);
    }

    public static Refused tooLarge(String detail) {
        return new Refused(Reason.TOO_LARGE, detail, null);
    }

    public static Refused rateLimited(String detail, Duration retryAfter) {
        return new Refused(Reason.RATE_LIMITED, detail, Objects.requireNonNull(retryAfter));
    }

    public static Refused unavailable(String detail, Duration retryAfter) {
        return new Refused(Reason.UNAVAILABLE, detail, Objects.requireNonNull(retryAfter));
    }

    public Reason reason() {
        return reason;
    }

    /** When the caller may try again (rate limits and temporary unavailability). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
