package dev.northstar.platform.messaging;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the records a reader will see end in each partition: the offset after the last record a
 * {@code read_committed} consumer gets below the partition's end. That is what "read up to the end" means
 * for a reader that counts the records it applied: the end offset itself is not, because a transactional
 * writer leaves a commit or abort marker after its last record, which no reader ever sees, and an aborted
 * transaction's records are skipped too. A reader waiting for a record at {@code end - 1} after a marker
 * would wait until the next record arrives (possibly never).
 * <p>
 * Found by reading the tail of each partition with a consumer of its own (no group, nothing committed):
 * the last 16 offsets first, then farther back (16 times as many each round) while they hold no record a
 * reader sees, down to where the log starts. One consumer, made on first use with the connection
 * settings it is given, kept until {@link #close()}; not for concurrent use (its methods are synchronized).
 */
public final class TopicTail implements AutoCloseable {

    /** Per partition: its end for a read_committed reader, and the offset after its last readable record before it. */
    public record Tail(long end, long afterLastRecord) {
        /** Whether a reader has anything to wait for in this partition. */
        public boolean hasRecords() {
            return afterLastRecord > 0;
        }
    }

    private static final long FIRST_WINDOW = 16;
    private static final Duration POLL = Duration.ofMillis(100);

    private final Map<String, Object> clientConfig;
    private KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param clientConfig the cluster's connection and security settings (see {@code KafkaClients})
     * @param clientId     how the consumer is named to the broker (its logs, quotas)
     */
    public TopicTail(Map<String, Object> clientConfig, String clientId) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.clientConfig = Map.copyOf(config);
    }

    /**
     * The tails of every partition of {@code topic}; empty while the topic is not known to the broker
     * answering (just created, or absent).
     *
     * @throws TimeoutException when the broker does not answer within {@code timeout}
     */
    public synchronized Optional<Map<TopicPartition, Tail>> tails(String topic, Duration timeout) {
        List<PartitionInfo> infos = consumer().partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            return Optional.empty();
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        return Optional.of(tails(partitions, timeout));
    }

    /**
     * The tails of {@code partitions}, their ends read now.
     *
     * @throws TimeoutException when they cannot be read within {@code timeout}
     */
    public synchronized Map<TopicPartition, Tail> tails(Collection<TopicPartition> partitions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        KafkaConsumer<byte[], byte[]> c = consumer();
        Map<TopicPartition, Long> start = c.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> end = c.endOffsets(partitions, timeout);
        Map<TopicPartition, Tail> tails = new HashMap<>();
        // Per partition still looked at: the offsets [from, upTo) read this round, and the round's window.
        Map<TopicPartition, long[]> open = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long first = start.get(partition);
            long last = end.get(partition);
            if (last <= first) {
                tails.put(partition, new Tail(last, 0)); // empty, or every record removed by retention
            } else {
                open.put(partition, new long[]{Math.max(first, last - FIRST_WINDOW), last, FIRST_WINDOW});
            }
        }
        try {
            while (!open.isEmpty()) {
                Map<TopicPartition, Long> lastSeen = readRound(c, open, deadline);
                for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                    var entry = it.next();
                    TopicPartition partition = entry.getKey();
                    long[] round = entry.getValue();
                    Long seen = lastSeen.get(partition);
                    if (seen != null) {
                        tails.put(partition, new Tail(end.get(partition), seen + 1));
                        it.remove();
                    } else if (round[0] <= start.get(partition)) {
                        tails.put(partition, new Tail(end.get(partition), 0)); // markers and aborted records only
                        it.remove();
                    } else {
                        long window = round[2] * 16;
                        round[1] = round[0];
                        round[0] = Math.max(start.get(partition), round[0] - window);
                        round[2] = window;
                    }
                }
            }
        } finally {
            c.assign(List.of());
        }
        return tails;
    }

    /** Reads each open partition from its round's start until the consumer's position has passed its round's end. */
    private static Map<TopicPartition, Long> readRound(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, long[]> open,
                                                       long deadline) {
        c.assign(open.keySet());
        open.forEach((partition, round) -> c.seek(partition, round[0]));
        Map<TopicPartition, Long> lastSeen = new HashMap<>();
        Set<TopicPartition> reading = new HashSet<>(open.keySet());
        while (!reading.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the tail of " + reading + " could not be read in time");
            }
            for (ConsumerRecord<byte[], byte[]> record : c.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                long[] round = open.get(partition);
                if (round != null && record.offset() < round[1]) {
                    lastSeen.merge(partition, record.offset(), Math::max);
                }
            }
            List<TopicPartition> done = new ArrayList<>();
            for (TopicPartition partition : reading) {
                // The position moves past markers and aborted records too: that is what ends the round.
                if (c.position(partition) >= open.get(partition)[1]) {
                    done.add(partition);
                }
            }
            done.forEach(reading::remove);
            c.pause(done);
        }
        c.resume(c.paused());
        return lastSeen;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(clientConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
            consumer = null;
        }
    }
}
