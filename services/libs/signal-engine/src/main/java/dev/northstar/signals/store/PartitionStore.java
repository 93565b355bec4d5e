package dev.northstar.signals.store;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a consumer keeps the state of each input partition it owns, together with the offset that
 * state reflects. Chosen by {@code northstar.store.kind}: {@code json} ({@link JsonFileStore}) or
 * {@code memory} ({@link MemoryStore}).
 */
public interface PartitionStore {

    /**
     * The last state saved for a partition. Empty when there is none or none is usable (corrupt,
     * truncated, wrong version): the consumer then rebuilds the state by replaying the partition
     * from its earliest offset, so it never serves wrong numbers.
     */
    Optional<Checkpoint> load(TopicPartition partition);

    /**
     * Saves a partition's state durably. When this throws, the previously saved state is intact
     * and still the one {@link #load} returns.
     */
    void save(TopicPartition partition, Checkpoint checkpoint) throws IOException;

    /** Whether saved state survives a restart (false: every start replays). */
    boolean durable();

    /**
     * A partition's state and the offset it reflects.
     *
     * @param nextOffset the next offset to read: every record before it is in {@code state}
     * @param state      the serialized state, in chunks (no 2 GiB ceiling)
     */
    record Checkpoint(long nextOffset, StateBytes state) {
        public Checkpoint(long nextOffset, byte[] state) {
            this(nextOffset, StateBytes.of(state));
        }
    }
}
