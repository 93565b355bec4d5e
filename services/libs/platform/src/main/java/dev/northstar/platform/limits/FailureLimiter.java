package dev.northstar.platform.limits;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed attempts per client address, as a token bucket of failures each: an address may fail
 * {@code burst} times at once and regains {@code perMinute} failures a minute; beyond, it is told to wait.
 * Only failures are charged, so whoever presents the right credential is never slowed by it. At most
 * {@link #MAX_ADDRESSES} addresses are remembered; beyond, the least recently seen is forgotten (it
 * regains a fresh burst, no more), never all of them at once. Thread-safe.
 */
public final class FailureLimiter {

    /** Addresses tracked at most. */
    public static final int MAX_ADDRESSES = 10_000;

    private final int burst;
    private final double perMinute;
    /** Least recently seen first; guarded by itself. */
    private final Map<String, TokenBucket> failures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public FailureLimiter(int burst, double perMinute) {
        this.burst = burst;
        this.perMinute = perMinute;
    }

    /** How long {@code from} must wait before it may fail again (at least a second), or empty when it may now. */
    public Optional<Duration> waitFor(String from) {
        long now = System.nanoTime();
        Optional<Duration> wait;
        synchronized (failures) {
            TokenBucket bucket = failures.get(from);
            wait = bucket == null ? Optional.empty() : bucket.waitFor(1, now);
        }
        return wait.map(w -> w.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : w);
    }

    /** Charges one failure to {@code from}. */
    public void failed(String from) {
        long now = System.nanoTime();
        synchronized (failures) {
            failures.computeIfAbsent(from, f -> new TokenBucket(burst, perMinute / 60.0, now)).take(1, now);
        }
    }

    /** Addresses with failures remembered. */
    public int trackedAddresses() {
        synchronized (failures) {
            return failures.size();
        }
    }
}
