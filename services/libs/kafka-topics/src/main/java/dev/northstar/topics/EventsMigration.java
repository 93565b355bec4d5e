package dev.northstar.topics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies the events topic keyed by project ({@link Topics#EVENTS_V1}) to the one keyed by project and
 * actor ({@link Topics#EVENTS}), as {@code TopicsCommand migrate-events} (ADR 0015). Each record keeps
 * its value, timestamp and headers and gains the key {@link Topics#eventKey} and a
 * {@value #FROM_HEADER} header naming where it came from. Per source partition the order is kept, so
 * every actor's events stay in order. Progress is the consumer group {@value #GROUP}'s committed
 * offsets, committed only after the copies are acknowledged: a stopped migration resumes where it
 * stopped, and at most the last batch (≤ {@value #BATCH} records per partition) is copied twice, which
 * the signal services' dedup window (100,000 eventIds per project and partition) drops. It copies up
 * to the source's end when it started, so run it again after ingest has moved to the new topic to copy
 * what came in meanwhile. A record whose project or actor cannot be read is copied under its old key:
 * the services dead-letter it with the reason, as they would have.
 */
public final class EventsMigration {

    static final String GROUP = "northstar-migrate-events";
    static final String FROM_HEADER = "northstar.migrated-from";
    static final int BATCH = 5_000;

    /** @param copied records copied; @param unreadable those copied under their old key (dead-lettered downstream) */
    public record Result(long copied, long unreadable) {
    }

    private EventsMigration() {
    }

    public static Result run(Map<String, Object> client, String from, String to, PrintStream out) {
        Map<String, Object> consumerConfig = new HashMap<>(client);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, BATCH);
        Map<String, Object> producerConfig = new HashMap<>(client);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long copied = 0;
        long unreadable = 0;
        try (var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(from, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(from, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = 0;
            for (TopicPartition p : partitions) {
                OffsetAndMetadata committed = consumer.committed(java.util.Set.of(p)).get(p);
                long start = committed == null ? consumer.beginningOffsets(List.of(p)).get(p) : committed.offset();
                consumer.seek(p, start);
                total += Math.max(0, end.get(p) - start);
            }
            out.printf("migrate-events: %,d records to copy from %s to %s%n", total, from, to);
            AtomicReference<Exception> failure = new AtomicReference<>();
            long reported = System.nanoTime();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                var records = consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    TopicPartition source = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(source)) {
                        continue; // arrived after the start: the next run copies it
                    }
                    String key = newKey(record);
                    if (key == null) {
                        unreadable++;
                        key = record.key();
                    }
                    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
                    headers.add(FROM_HEADER, (from + ":" + record.partition() + ":" + record.offset())
                            .getBytes(StandardCharsets.US_ASCII));
                    producer.send(new ProducerRecord<>(to, null, record.timestamp(), key, record.value(), headers),
                            (metadata, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                    done.put(source, new OffsetAndMetadata(record.offset() + 1));
                    copied++;
                }
                producer.flush();
                if (failure.get() != null) {
                    throw new IllegalStateException("a copy was not acknowledged (" + failure.get()
                            + "); nothing after the last committed batch counts as copied: run it again", failure.get());
                }
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
                if (System.nanoTime() - reported > 5_000_000_000L) {
                    reported = System.nanoTime();
                    out.printf("migrate-events: %,d of %,d copied%n", copied, total);
                }
            }
        }
        out.printf("migrate-events: %,d records copied (%,d under their old key: unreadable, the services will "
                + "dead-letter them); %s is up to date with %s as of the start%n", copied, unreadable, to, from);
        return new Result(copied, unreadable);
    }

    /** The record's key on the new topic, or null when its project or actor cannot be read. */
    static String newKey(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            JsonNode event = NorthstarJson.mapper().readTree(record.value());
            String project = event.path("projectId").isTextual() ? event.get("projectId").asText() : record.key();
            JsonNode user = event.path("userId");
            JsonNode anonymous = event.path("anonymousId");
            String actor = user.isTextual() && !user.asText().isEmpty() ? user.asText()
                    : anonymous.isTextual() && !anonymous.asText().isEmpty() ? anonymous.asText() : null;
            return project == null || actor == null ? null : Topics.eventKey(project, actor);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
