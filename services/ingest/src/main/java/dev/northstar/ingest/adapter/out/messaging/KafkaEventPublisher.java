package dev.northstar.ingest.adapter.out.messaging;

import dev.northstar.ingest.application.EventPublisher;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.topic.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import dev.northstar.platform.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;

/**
 * Publishes events keyed by project and actor ({@link Topics#eventKey}; a {@code user_identified} by its
 * anonymousId): every event of an actor on one partition, a project over all of them; on the {@code events} channel (acks=all, idempotent; see
 * application.properties). Each send's Uni completes when the broker acknowledged the record.
 */
@ApplicationScoped
class KafkaEventPublisher implements EventPublisher {

    static final String CHANNEL = "events";

    private final MutinyEmitter<ProductEvent> emitter;
    private final Tracing tracing;
    private final String topic;

    KafkaEventPublisher(@Channel(CHANNEL) MutinyEmitter<ProductEvent> emitter, Tracing tracing,
                        @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".topic") String topic) {
        this.emitter = emitter;
        this.tracing = tracing;
        this.topic = topic;
    }

    /**
     * Sends every event; when the request is a sampled trace, as one publish span of it whose context
     * each record carries (the consumers' spans continue it).
     */
    @Override
    public Uni<Void> publish(List<ProductEvent> events) {
        Span span = tracing.current().map(request -> tracing.publishing(topic, events.size(), request))
                .orElse(Span.getInvalid());
        boolean traced = span.getSpanContext().isValid();
        List<Uni<Void>> sends = events.stream()
                .map(event -> {
                    var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                            .withKey(Topics.eventKey(event.projectId(), event.keyActor()));
                    if (traced) {
                        metadata.withHeaders(headers(span));
                    }
                    return emitter.sendMessage(Message.of(event).addMetadata(metadata.build()));
                })
                .toList();
        Uni<Void> sent = Uni.join().all(sends).andFailFast().replaceWithVoid();
        return traced
                ? sent.onTermination().invoke((ok, failure, cancelled) -> {
                    if (failure != null) {
                        span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
                    }
                    span.end();
                })
                : sent;
    }

    private RecordHeaders headers(Span span) {
        RecordHeaders headers = new RecordHeaders();
        tracing.inject(span, headers);
        return headers;
    }
}
