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
