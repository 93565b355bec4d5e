package dev.northstar.signals;

import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.topic.Keyed;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The state a signal service keeps for the projects of one input partition: events in, keyed
 * snapshots of what changed out. Implemented by each service's pure domain ledger; not
 * thread-safe ({@link SignalState} serializes).
 *
 * @param <T> the snapshot record type of the service's output topic
 */
public interface EventLedger<T> {

    /** Counts one event; false when its eventId was already counted for its project (a duplicate). */
    boolean record(ProductEvent event);

    /** Snapshots of everything that changed since the last drain, as of {@code now}. */
    List<Keyed<T>> drainChanged(Instant now);

    /** Marks everything changed, so the next drain republishes all (sliding windows move with time). */
    void markAllChanged();

    /**
     * Makes a service's ledgers: empty ones, and ones saved to bytes for the {@code json} store and
     * restored from them. A signal service provides one ({@link LedgerJson#codec} makes it); the
     * engine does everything else.
     */
    interface Codec<T> {
        EventLedger<T> empty();

        /** The whole state of {@code ledger} as bytes ({@link #restore} reads it back). */
        byte[] save(EventLedger<T> ledger);

        /** The ledger saved as {@code bytes}; throws when they cannot be read (the state is then rebuilt). */
        EventLedger<T> restore(byte[] bytes) throws IOException;
    }
}
