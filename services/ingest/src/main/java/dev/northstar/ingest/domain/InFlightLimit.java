package dev.northstar.ingest.domain;

import java.util.concurrent.Semaphore;

/**
 * Bounds the events handed to Kafka and not yet acknowledged, so memory stays bounded while the
 * broker is slow or away: a batch that does not fit is refused at once instead of queueing.
 */
public final class InFlightLimit {

    private final Semaphore permits;
    private final int capacity;

    public InFlightLimit(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
    }

    /** Reserves room for {@code events}; false when they do not fit now. */
    public boolean tryAcquire(int events) {
        return permits.tryAcquire(Math.min(events, capacity));
    }

    /** Frees the room of {@code events} once Kafka answered (either way). */
    public void release(int events) {
        permits.release(Math.min(events, capacity));
    }

    public int available() {
        return permits.availablePermits();
    }
}
