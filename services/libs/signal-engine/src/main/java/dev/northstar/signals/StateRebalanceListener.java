package dev.northstar.signals;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * Ties a stateful consumer's partitions to its state: on assignment the state of each partition is
 * loaded, the consumer positioned after what it reflects, the partition's end noted (its
 * snapshots wait until the replay reaches it) and its start (records deleted before they were read
 * are reported); on revocation it is saved and dropped.
 * The engine's input channel names it ({@code consumer-rebalance-listener.name=northstar-state}).
 */
@ApplicationScoped
@Identifier(StateRebalanceListener.NAME)
public class StateRebalanceListener implements KafkaConsumerRebalanceListener {

    public static final String NAME = "northstar-state";
    private static final Duration END_OFFSET_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(StateRebalanceListener.class);

    private final SignalEngine engine;

    StateRebalanceListener(SignalEngine engine) {
        this.engine = engine;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        engine.state().assigned(partitions, new PartitionedState.Seeker() {
            @Override
            public void seek(TopicPartition partition, long offset) {
                consumer.seek(partition, offset);
            }

            @Override
            public void seekToBeginning(TopicPartition partition) {
                consumer.seekToBeginning(List.of(partition));
            }

            @Override
            public OptionalLong startOffset(TopicPartition partition) {
                try {
                    Long start = consumer.beginningOffsets(List.of(partition), END_OFFSET_TIMEOUT).get(partition);
                    return start == null ? OptionalLong.empty() : OptionalLong.of(start);
                } catch (RuntimeException e) {
                    LOG.warnf("Partition %s: where its log starts could not be read (%s)", partition, e.toString());
                    return OptionalLong.empty();
                }
            }

            @Override
            public OptionalLong committedOffset(TopicPartition partition) {
                try {
                    var committed = consumer.committed(java.util.Set.of(partition), END_OFFSET_TIMEOUT).get(partition);
                    return committed == null ? OptionalLong.empty() : OptionalLong.of(committed.offset());
                } catch (RuntimeException e) {
                    LOG.warnf("Partition %s: the group's committed offset could not be read (%s); transfers of the "
                            + "replay are sent again (they are idempotent)", partition, e.toString());
                    return OptionalLong.empty();
                }
            }

            @Override
            public OptionalLong endOffset(TopicPartition partition) {
                try {
                    Long end = consumer.endOffsets(List.of(partition), END_OFFSET_TIMEOUT).get(partition);
                    Long start = consumer.beginningOffsets(List.of(partition), END_OFFSET_TIMEOUT).get(partition);
                    if (end == null || start == null) {
                        return OptionalLong.empty();
                    }
                    // Nothing left to read (empty, or every record removed by retention): nothing to wait for.
                    return OptionalLong.of(start >= end ? 0 : end);
                } catch (RuntimeException e) {
                    LOG.warnf("Partition %s: its end offset could not be read (%s); its snapshots are published "
                            + "without waiting for the replay to finish", partition, e.toString());
                    return OptionalLong.empty();
                }
            }
        });
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        engine.state().revoked(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        engine.state().lost(partitions);
    }
}
