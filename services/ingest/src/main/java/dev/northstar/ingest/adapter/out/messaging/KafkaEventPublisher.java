package dev.northstar.ingest.adapter.out.messaging;

import dev.northstar.ingest.application.EventPublisher;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.topic.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
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

    KafkaEventPublisher(@Channel(CHANNEL) MutinyEmitter<ProductEvent> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Uni<Void> publish(List<ProductEvent> events) {
        List<Uni<Void>> sends = events.stream()
                .map(event -> emitter.sendMessage(Message.of(event).addMetadata(
                        OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(Topics.eventKey(event.projectId(), event.keyActor())).build())))
                .toList();
        return Uni.join().all(sends).andFailFast().replaceWithVoid();
    }
}
