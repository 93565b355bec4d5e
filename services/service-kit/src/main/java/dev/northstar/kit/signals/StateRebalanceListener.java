package dev.northstar.kit.signals;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;

/**
 * Ties a stateful consumer's partitions to its state: on assignment the state of each partition is
 * loaded and the consumer positioned after what it reflects; on revocation it is saved and dropped.
 * Channels opt in with {@code consumer-rebalance-listener.name=northstar-state}.
 */
@ApplicationScoped
@Identifier(StateRebalanceListener.NAME)
public class StateRebalanceListener implements KafkaConsumerRebalanceListener {

    public static final String NAME = "northstar-state";

    private final Instance<PartitionedState> state;

    StateRebalanceListener(Instance<PartitionedState> state) {
        this.state = state;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        state.get().assigned(partitions, new PartitionedState.Seeker() {
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
        state.get().revoked(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        state.get().lost(partitions);
    }
}
