package dev.northstar.signals;

import dev.northstar.model.topic.Keyed;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The state a signal service keeps for one input partition: input records in (product events, or
 * the snapshots of another service), keyed snapshots of what changed out. Implemented by each
 * service's pure domain ledger; not thread-safe ({@link SignalState} serializes).
 *
 * @param <I> what the ledger counts, as its {@link InputReader} reads it from the input topic
 * @param <T> the snapshot record type of the service's output topic
 */
public interface Ledger<I, T> {

    /** Counts one input; false when it was counted already (a duplicate). */
    boolean record(I input);

    /** Snapshots of everything that changed since the last drain, as of {@code now}. */
    List<Keyed<T>> drainChanged(Instant now);

    /** Marks everything changed, so the next drain republishes all (sliding windows move with time). */
    void markAllChanged();

    /**
     * How much the ledger holds, in entries (actors, linked ids, remembered event ids): the unit its
     * memory grows with, for the {@code northstar_state_entries} gauge. 0 when not known.
     */
    default long entries() {
        return 0;
    }

    /**
     * Makes a service's ledgers: empty ones, and ones saved to bytes for the {@code json} store and
     * restored from them. A signal service provides one in its {@link SignalDefinition}
     * ({@link LedgerJson#codec} makes it); the engine does everything else.
     */
    interface Codec<I, T> {
        Ledger<I, T> empty();

        /** The whole state of {@code ledger} as bytes ({@link #restore} reads it back). */
        byte[] save(Ledger<I, T> ledger);

        /** The ledger saved as {@code bytes}; throws when they cannot be read (the state is then rebuilt). */
        Ledger<I, T> restore(byte[] bytes) throws IOException;

        /** The whole state, streamed into chunks (a state may pass the 2 GiB of one array). */
        default dev.northstar.signals.store.StateBytes saveState(Ledger<I, T> ledger) {
            return dev.northstar.signals.store.StateBytes.of(save(ledger));
        }

        /** The ledger saved as {@code state}, read as a stream; throws when it cannot be read. */
        default Ledger<I, T> restoreState(dev.northstar.signals.store.StateBytes state) throws IOException {
            return restore(state.toByteArray());
        }
    }
}
