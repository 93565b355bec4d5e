package dev.northstar.testkit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes records to one partition in one Kafka transaction, committed or aborted, as a transactional
 * writer does (the notifier, an operator's tool): the partition then ends with that transaction's commit
 * or abort marker, an offset no reader ever gets as a record. And reads a partition back as a
 * {@code read_committed} listener does.
 */
public final class TransactionWriter {

    private TransactionWriter() {
    }

    /** The records (key, value) in one transaction on {@code partition}, then committed or aborted. */
    public static void write(String bootstrapServers, String topic, int partition, List<Map.Entry<String, byte[]>> records,
                             boolean commit) {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + UUID.randomUUID(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (var record : records) {
                producer.send(new ProducerRecord<>(topic, partition, record.getKey(), record.getValue()));
            }
            producer.flush();
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
        awaitMarkers(bootstrapServers, new TopicPartition(topic, partition));
    }

    /**
     * Waits until the transaction's marker is on the partition: a commit or abort returns once the
     * coordinator has decided, and the markers follow; until then a read_committed reader's end (the
     * last stable offset) stays before the transaction. Then what the tests read is what was written.
     */
    private static void awaitMarkers(String bootstrapServers, TopicPartition partition) {
        try (var committed = consumer(bootstrapServers, "read_committed");
             var uncommitted = consumer(bootstrapServers, "read_uncommitted")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!committed.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition)
                    .equals(uncommitted.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the transaction's marker did not reach " + partition + " in 30 s");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers, String isolation) {
        return new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Every record of {@code partitions} a read_committed reader gets, up to where each partition's end is now. */
    public static List<ConsumerRecord<String, byte[]>> readCommitted(String bootstrapServers,
                                                                     List<TopicPartition> partitions) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + partitions + " to " + end + " in 30 s");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
            return read;
        }
    }
}
