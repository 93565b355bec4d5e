package dev.northstar.platform.messaging;

import dev.northstar.model.topic.Keyed;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import dev.northstar.platform.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

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

    /**
     * A snapshot with the version of the input it reflects and, when a sampled trace changed it, that
     * trace (its publish becomes part of it); {@code trace} may be null.
     */
    public record Versioned<T>(Keyed<T> snapshot, long version, SpanContext trace) {
        public Versioned(Keyed<T> snapshot, long version) {
            this(snapshot, version, null);
        }
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
        sendVersioned(emitter, snapshots, Tracing.off(), "");
    }

    /**
     * The same, each publish part of the trace that changed its snapshot: one span per trace, its
     * context in the records' {@code traceparent} header.
     */
    public static <T> void sendVersioned(MutinyEmitter<T> emitter, List<? extends Versioned<? extends T>> snapshots,
                                         Tracing tracing, String topic) {
        send(emitter, snapshots, tracing, topic);
    }

    private static <T> void send(MutinyEmitter<T> emitter, List<? extends Versioned<? extends T>> snapshots,
                                 Tracing tracing, String topic) {
        Map<SpanContext, Span> spans = new HashMap<>();
        if (tracing.enabled()) {
            Map<SpanContext, Integer> counts = new HashMap<>();
            snapshots.stream().map(Versioned::trace).filter(Objects::nonNull).forEach(t -> counts.merge(t, 1, Integer::sum));
            counts.forEach((trace, count) -> spans.put(trace, tracing.publishing(topic, count, trace)));
        }
        try {
            for (int from = 0; from < snapshots.size(); from += CHUNK) {
                List<Uni<Void>> sends = snapshots.subList(from, Math.min(snapshots.size(), from + CHUNK)).stream()
                        .map(s -> emitter.sendMessage(Message.<T>of(s.snapshot().value()).addMetadata(
                                OutgoingKafkaRecordMetadata.<String>builder().withKey(s.snapshot().key())
                                        .withHeaders(headers(s, spans, tracing)).build())))
                        .toList();
                Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
            }
        } catch (RuntimeException e) {
            spans.values().forEach(span -> span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage())));
            throw e;
        } finally {
            spans.values().forEach(Span::end);
        }
    }

    private static RecordHeaders headers(Versioned<?> snapshot, Map<SpanContext, Span> spans, Tracing tracing) {
        RecordHeaders headers = new RecordHeaders();
        if (snapshot.version() >= 0) {
            headers.add(VERSION_HEADER, Long.toString(snapshot.version()).getBytes(StandardCharsets.US_ASCII));
        }
        Span span = snapshot.trace() == null ? null : spans.get(snapshot.trace());
        if (span != null) {
            tracing.inject(span, headers);
        }
        return headers;
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
        sendAll(emitter, snapshots, s -> null, Tracing.off(), "");
    }

    /** The same, each publish part of the trace {@code traceOf} names for it (null: none), as {@link #sendVersioned}. */
    public static <T> void sendAll(MutinyEmitter<T> emitter, List<? extends Keyed<? extends T>> snapshots,
                                   Function<Keyed<? extends T>, SpanContext> traceOf, Tracing tracing, String topic) {
        List<Versioned<? extends T>> unversioned = new ArrayList<>(snapshots.size());
        for (Keyed<? extends T> snapshot : snapshots) {
            unversioned.add(new Versioned<>(snapshot, -1, tracing.enabled() ? traceOf.apply(snapshot) : null));
        }
        send(emitter, unversioned, tracing, topic);
    }
}
