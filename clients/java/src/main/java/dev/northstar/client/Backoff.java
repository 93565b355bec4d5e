package dev.northstar.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: attempt n waits a random time in [d/2, d], d = min(max, base × 2^n). */
record Backoff(Duration base, Duration max) {

    Duration delay(int attempt) {
        long cap = max.toMillis();
        long exponential = base.toMillis() << Math.min(attempt, 20);
        long d = Math.min(cap, exponential <= 0 ? cap : exponential);
        return Duration.ofMillis(d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1));
    }
}
