package dev.northstar.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the ingest service ({@code northstar.ingest.*}). */
@ConfigMapping(prefix = "northstar.ingest")
public interface IngestConfig {

    /**
     * The token that authorizes the admin API ({@code Authorization: Bearer <token>}). Required:
     * set {@code NORTHSTAR_ADMIN_TOKEN}; the service refuses to start without it.
     */
    String adminToken();

    /** Most events one {@code POST /v1/events} may carry. */
    @WithDefault("500")
    int maxBatchEvents();

    /**
     * How long a request waits for Kafka to acknowledge its events before answering 503. Keep it
     * at or above the producer's {@code delivery.timeout.ms}.
     */
    @WithDefault("10s")
    Duration deliveryTimeout();

    /** The Retry-After sent with a 503 when Kafka cannot take events. */
    @WithDefault("5s")
    Duration retryAfter();

    /** Largest accepted {@code POST /v1/events} body; larger ones answer 413 before being read. */
    @WithDefault("1048576")
    long maxBodyBytes();

    /**
     * How long a client may take to send a whole request (headers and body). A slower or dribbling
     * client is answered 408 and its connection closed, so it cannot hold a connection open.
     * (A client that sends nothing at all is also cut off by {@code quarkus.http.idle-timeout}.)
     */
    @WithDefault("30s")
    Duration requestReadTimeout();

    /**
     * Most events waiting for Kafka's acknowledgement at once, over all requests; a batch that does
     * not fit is answered 503 at once, so memory stays bounded while the broker is slow or away.
     */
    @WithDefault("20000")
    int maxInFlightEvents();

    /**
     * Whether ingest replaces every userId and anonymousId with a pseudonym (a keyed hash per project)
     * before writing the event, so that Kafka never holds a raw id ({@code NORTHSTAR_PSEUDONYMIZE_ACTORS}).
     */
    @WithDefault("false")
    boolean pseudonymizeActors();

    /** The operator's secret the pseudonyms derive from ({@code NORTHSTAR_PSEUDONYM_KEY}); required with them. */
    java.util.Optional<String> pseudonymKey();

    /** Per write key: a token bucket of {@code burst} events refilled at {@code events-per-second}. */
    RateLimit rateLimit();

    /** Failed admin authentications allowed per client address. */
    AdminFailures adminFailures();

    interface AdminFailures {
        /** Failures an address may have at once before it is made to wait. */
        @WithDefault("10")
        int burst();

        /** Failures an address regains per minute. */
        @WithDefault("10")
        double perMinute();
    }

    interface RateLimit {
        /** Sustained events per second per write key. */
        @WithDefault("2000")
        double eventsPerSecond();

        /** Events a key may send at once before the sustained rate applies. */
        @WithDefault("10000")
        long burst();
    }
}
