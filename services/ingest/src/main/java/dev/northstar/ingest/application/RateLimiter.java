package dev.northstar.ingest.application;

import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.platform.limits.TokenBucket;
import dev.northstar.platform.usecase.Refused;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket of events per project write key. Called only after the key was authenticated,
 * so unknown keys never allocate limiter state; a rotated key's bucket is replaced by the new one.
 */
@ApplicationScoped
public class RateLimiter {

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final IngestConfig.RateLimit config;
    private final MeterRegistry meters;

    public RateLimiter(IngestConfig config, MeterRegistry meters) {
        this.config = config.rateLimit();
        this.meters = meters;
        meters.counter("northstar_ingest_rate_limited"); // at zero before the first refusal
    }

    /** Refuses ({@link Refused.Reason#RATE_LIMITED}, with when to retry) when the project sent more than its rate. */
    public void admit(String projectId, int events) {
        TokenBucket bucket = buckets.computeIfAbsent(projectId,
                p -> new TokenBucket(config.burst(), config.eventsPerSecond(), System.nanoTime()));
        bucket.take(events, System.nanoTime()).ifPresent(wait -> {
            meters.counter("northstar_ingest_rate_limited").increment();
            Duration retryAfter = wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
            throw Refused.rateLimited("This write key sent more than " + (long) config.eventsPerSecond()
                    + " events per second (burst " + config.burst() + "); retry after " + retryAfter.toSeconds()
                    + " s", retryAfter);
        });
    }
}
