package dev.northstar.signals;

import dev.northstar.platform.config.KafkaClients;
import dev.northstar.platform.messaging.TopicTail;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Ties a stateful consumer's partitions to its state: on assignment the state of each partition is
 * loaded, the consumer positioned after what it reflects, where the partition's records end noted
 * ({@link TopicTail}: its snapshots wait until the replay has applied its last record) and its start (records deleted before they were read
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
    private final KafkaClients clients;
    private TopicTail tail;

    StateRebalanceListener(SignalEngine engine, KafkaClients clients) {
        this.engine = engine;
        this.clients = clients;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        engine.state().assigned(partitions, seeker(consumer, tails(partitions)));
    }

    /** What the state asks of the consumer on an assignment, with where each partition's records end. */
    static PartitionedState.Seeker seeker(Consumer<?, ?> consumer, Map<TopicPartition, TopicTail.Tail> tails) {
        return new PartitionedState.Seeker() {
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
            public OptionalLong recordsEnd(TopicPartition partition) {
                TopicTail.Tail tail = tails.get(partition);
                return tail == null ? OptionalLong.empty() : OptionalLong.of(tail.afterLastRecord());
            }
        };
    }

    /**
     * Where each partition's records end, read with a consumer of the listener's own (this one may not
     * poll inside its rebalance callback); empty when the broker did not say in time.
     */
    private Map<TopicPartition, TopicTail.Tail> tails(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        try {
            synchronized (this) {
                if (tail == null) {
                    tail = new TopicTail(clients.admin(Map.of()), "signal-state-catch-up");
                }
            }
            return tail.tails(partitions, END_OFFSET_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("Partitions %s: where their records end could not be read (%s); their snapshots are published "
                    + "without waiting for the replay to finish", partitions, e.toString());
            return Map.of();
        }
    }

    @PreDestroy
    synchronized void close() {
        if (tail != null) {
            tail.close();
        }
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
