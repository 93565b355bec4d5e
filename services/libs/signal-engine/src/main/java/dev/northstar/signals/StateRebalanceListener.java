package dev.northstar.signals;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;

/**
 * Ties a stateful consumer's partitions to its state: on assignment the state of each partition is
 * loaded and the consumer positioned after what it reflects; on revocation it is saved and dropped.
 * The engine's events channel names it ({@code consumer-rebalance-listener.name=northstar-state}).
 */
@ApplicationScoped
@Identifier(StateRebalanceListener.NAME)
public class StateRebalanceListener implements KafkaConsumerRebalanceListener {

    public static final String NAME = "northstar-state";

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
