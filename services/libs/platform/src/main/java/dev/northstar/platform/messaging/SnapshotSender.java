package dev.northstar.platform.messaging;

import dev.northstar.model.topic.Keyed;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.List;

/**
 * Publishes keyed snapshots on a compacted topic and waits until the broker acknowledged them,
 * in chunks that stay within the emitter's buffer. Call it from a worker thread (a scheduled job).
 */
public final class SnapshotSender {

    /**
     * Record header carrying a snapshot's version: the position of the input it reflects (the offset
     * after the last input record counted into it, decimal). Readers keep the newest per key and
     * ignore an older one that arrives late; a snapshot without it is always taken.
     */
    public static final String VERSION_HEADER = dev.northstar.model.topic.Topics.VERSION_HEADER;

    /** A snapshot with the version of the input it reflects. */
    public record Versioned<T>(Keyed<T> snapshot, long version) {
    }

    private static final int CHUNK = 100;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private SnapshotSender() {
    }

    /**
     * Whether the emitter's channel is connected and asks for messages. Until Kafka's sink is
     * wired at startup (or while it is saturated) there is no point draining state to send.
     */
    public static boolean ready(MutinyEmitter<?> emitter) {
        return emitter.hasRequests();
    }

    /** Sends every snapshot with its version header; throws when Kafka did not acknowledge them in time. */
    public static <T> void sendVersioned(MutinyEmitter<T> emitter, List<? extends Versioned<? extends T>> snapshots) {
        for (int from = 0; from < snapshots.size(); from += CHUNK) {
            List<Uni<Void>> sends = snapshots.subList(from, Math.min(snapshots.size(), from + CHUNK)).stream()
                    .map(s -> emitter.sendMessage(Message.<T>of(s.snapshot().value()).addMetadata(
                            OutgoingKafkaRecordMetadata.<String>builder().withKey(s.snapshot().key())
                                    .withHeaders(new org.apache.kafka.common.header.internals.RecordHeaders().add(
                                            VERSION_HEADER, Long.toString(s.version())
                                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                                    .build())))
                    .toList();
            Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
        }
    }

    /** The version a record carries in {@link #VERSION_HEADER}, if any (and readable). */
    public static java.util.OptionalLong version(org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> record) {
        var header = record.headers().lastHeader(VERSION_HEADER);
        if (header == null || header.value() == null) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(Long.parseLong(new String(header.value(),
                    java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** Sends every snapshot; throws when Kafka did not acknowledge them in time. */
    public static <T> void sendAll(MutinyEmitter<T> emitter, List<? extends Keyed<? extends T>> snapshots) {
        for (int from = 0; from < snapshots.size(); from += CHUNK) {
            List<Uni<Void>> sends = snapshots.subList(from, Math.min(snapshots.size(), from + CHUNK)).stream()
                    .map(s -> emitter.sendMessage(Message.<T>of(s.value()).addMetadata(
                            OutgoingKafkaRecordMetadata.<String>builder().withKey(s.key()).build())))
                    .toList();
            Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
        }
    }
}
