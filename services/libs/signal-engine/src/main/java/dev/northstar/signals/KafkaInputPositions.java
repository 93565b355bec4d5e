package dev.northstar.signals;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The input channel's Kafka consumer, as the state uses it between rebalances; every call runs on the
 * consumer's polling thread, and does nothing before the channel is up.
 */
final class KafkaInputPositions implements PartitionedState.InputPositions {

    private static final Logger LOG = Logger.getLogger(KafkaInputPositions.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClientService kafka;
    private final String channel;
    private final SignalState<?, ?> state;

    KafkaInputPositions(KafkaClientService kafka, String channel, SignalState<?, ?> state) {
        this.kafka = kafka;
        this.channel = channel;
        this.state = state;
    }

    private KafkaConsumer<Object, Object> consumer() {
        return kafka.getConsumer(channel);
    }

    /** Reads where the log starts (records before it are gone: the state is told), then seeks. */
    @Override
    public void rewind(TopicPartition partition, long offset) {
        var consumer = consumer();
        if (consumer == null) {
            return;
        }
        consumer.runOnPollingThread(c -> {
            if (!c.assignment().contains(partition)) {
                return; // revoked meanwhile: its next owner positions it
            }
            Long start = c.beginningOffsets(List.of(partition), TIMEOUT).get(partition);
            if (start != null && start > offset) {
                state.logStartsAt(partition, offset, start);
            }
            c.seek(partition, start == null ? offset : Math.max(start, offset));
        }).subscribe().with(done -> { }, failure -> LOG.warnf("Partition %s: could not read it again from %d (%s)",
                partition, offset, failure.toString()));
    }

    @Override
    public void commit(Map<TopicPartition, Long> nextOffsets) {
        var consumer = consumer();
        if (consumer == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
        consumer.commitAsync(offsets).subscribe().with(done -> { }, failure ->
                LOG.debugf("Offsets not committed (%s); the group's lag figure is stale until the next save",
                        failure.toString()));
    }
}
