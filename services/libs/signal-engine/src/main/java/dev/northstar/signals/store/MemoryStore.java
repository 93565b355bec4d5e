package dev.northstar.signals.store;

import org.apache.kafka.common.TopicPartition;

import java.util.Optional;

/** No files: nothing is kept, so every assignment rebuilds the state by replaying from the earliest offset. */
public final class MemoryStore implements PartitionStore {

    @Override
    public Optional<Checkpoint> load(TopicPartition partition) {
        return Optional.empty();
    }

    @Override
    public void save(TopicPartition partition, Checkpoint checkpoint) {
        // nothing to keep: state lives only in memory
    }

    @Override
    public boolean durable() {
        return false;
    }
}
