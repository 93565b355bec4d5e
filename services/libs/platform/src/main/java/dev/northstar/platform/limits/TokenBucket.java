package dev.northstar.platform.limits;

import java.time.Duration;

/**
 * A token bucket: up to {@code capacity} tokens, refilled continuously at {@code perSecond}.
 * Taking more than is there takes nothing and tells how long until it would fit. Thread-safe.
 */
public final class TokenBucket {

    private final double capacity;
    private final double perSecond;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double capacity, double perSecond, long nowNanos) {
        if (capacity <= 0 || perSecond <= 0) {
            throw new IllegalArgumentException("capacity and rate must be positive");
        }
        this.capacity = capacity;
        this.perSecond = perSecond;
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Empty when {@code n} tokens are there now (taking none), else the wait until they would be. */
    public synchronized java.util.Optional<Duration> waitFor(long n, long nowNanos) {
        double elapsed = Math.max(0, nowNanos - lastNanos) / 1e9;
        tokens = Math.min(capacity, tokens + elapsed * perSecond);
        lastNanos = nowNanos;
        if (n <= tokens) {
            return java.util.Optional.empty();
        }
        double missing = Math.min(n, capacity) - tokens;
        return java.util.Optional.of(Duration.ofMillis((long) Math.ceil(missing / perSecond * 1000)));
    }

    /** Takes {@code n} tokens; empty when allowed, else the wait until {@code n} tokens would be there. */
    public synchronized java.util.Optional<Duration> take(long n, long nowNanos) {
        double elapsed = Math.max(0, nowNanos - lastNanos) / 1e9;
        tokens = Math.min(capacity, tokens + elapsed * perSecond);
        lastNanos = nowNanos;
        if (n <= tokens) {
            tokens -= n;
            return java.util.Optional.empty();
        }
        double missing = Math.min(n, capacity) - tokens;
        return java.util.Optional.of(Duration.ofMillis((long) Math.ceil(missing / perSecond * 1000)));
    }
}
