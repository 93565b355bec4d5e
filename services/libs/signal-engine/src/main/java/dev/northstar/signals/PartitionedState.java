package dev.northstar.signals;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** What the consumer's rebalance listener, the snapshot saver and the health check see of a service's state. */
public interface PartitionedState {

    /** Moves a consumer to where the state of a partition resumes, and tells where the partition ends. */
    interface Seeker {
        void seek(TopicPartition partition, long offset);

        void seekToBeginning(TopicPartition partition);

        /**
         * Where the partition's records end now: the offset after its last record the consumer will read
         * (not its end offset, which may be one past a transaction's commit or abort marker that is never
         * read as a record); 0 when there is no record to read in it (empty, every record removed by
         * retention, or only markers and aborted records); empty when the broker did not say in time.
         */
        java.util.OptionalLong recordsEnd(TopicPartition partition);

        /**
         * Where the partition's log starts now (above 0 once retention or a deletion removed records);
         * empty when the broker did not say in time.
         */
        default java.util.OptionalLong startOffset(TopicPartition partition) {
            return java.util.OptionalLong.empty();
        }

        /**
         * The group's committed offset for the partition (what the last owner's checkpoint reflected, its
         * transfers sent); empty when none or when the broker did not say in time.
         */
        default java.util.OptionalLong committedOffset(TopicPartition partition) {
            return java.util.OptionalLong.empty();
        }
    }

    /**
     * What the state asks of the input's consumer between rebalances: to read a partition again from
     * an offset (a batch that does not follow on from what the state reflects), and to commit the
     * offsets checkpoints reflect (so that standard tools show the group's lag).
     */
    interface InputPositions {
        void rewind(TopicPartition partition, long offset);

        void commit(java.util.Map<TopicPartition, Long> nextOffsets);

        /** For tests and tools that feed the state directly. */
        InputPositions NONE = new InputPositions() {
            @Override
            public void rewind(TopicPartition partition, long offset) {
            }

            @Override
            public void commit(java.util.Map<TopicPartition, Long> nextOffsets) {
            }
        };
    }

    /** Loads the state of newly assigned partitions and positions the consumer after what it reflects. */
    void assigned(Collection<TopicPartition> partitions, Seeker seeker);

    /** Saves and forgets the state of partitions this instance no longer owns. */
    void revoked(Collection<TopicPartition> partitions);

    /** Forgets the state of partitions lost without a chance to save (another owner has them). */
    void lost(Collection<TopicPartition> partitions);

    /** Saves the state of every partition that changed since its last save. */
    void saveChanged();

    /**
     * The owned partitions still replaying up to the end they had when assigned, with how many
     * records each still has to read; empty when every owned partition has caught up.
     */
    java.util.Map<TopicPartition, Long> behind();

    /**
     * Per partition, how many input records this instance found already deleted (by retention) when
     * it had to read them: its numbers lack them. Empty when nothing was lost.
     */
    java.util.Map<TopicPartition, Long> lostInput();

    /** How long the oldest unsaved change has waited for a successful save, if any waits. */
    Optional<Duration> unsavedFor(Instant now);
}
