package dev.northstar.ingest.adapter.out.messaging;

import dev.northstar.ingest.application.ErasurePublisher;
import dev.northstar.model.erasure.ActorErasure;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes erasures on the compacted erasures topic, one record per project and actor. */
@ApplicationScoped
class KafkaErasurePublisher implements ErasurePublisher {

    static final String CHANNEL = "erasures";

    private final MutinyEmitter<ActorErasure> emitter;

    KafkaErasurePublisher(@Channel(CHANNEL) MutinyEmitter<ActorErasure> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Uni<Void> publish(ActorErasure erasure) {
        return emitter.sendMessage(Message.of(erasure)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(erasure.recordKey()).build()));
    }
}
