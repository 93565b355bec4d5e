package dev.northstar.ingest.adapter.out.messaging;

import dev.northstar.ingest.application.ProjectPublisher;
import dev.northstar.model.project.ProjectEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes project changes on the compacted projects topic. (The channel is not called
 * {@code projects}: that name is the incoming channel that reads the topic back.)
 */
@ApplicationScoped
class KafkaProjectPublisher implements ProjectPublisher {

    static final String CHANNEL = "project-changes";

    private final MutinyEmitter<ProjectEvent> emitter;

    KafkaProjectPublisher(@Channel(CHANNEL) MutinyEmitter<ProjectEvent> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Uni<Long> publish(String key, ProjectEvent event) {
        var written = new OutgoingMessageMetadata<RecordMetadata>();
        return emitter.sendMessage(Message.of(event)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                        .addMetadata(written))
                .map(done -> written.getResult().offset());
    }

    @Override
    public Uni<Long> retract(String key) {
        var written = new OutgoingMessageMetadata<RecordMetadata>();
        return emitter.sendMessage(Message.<ProjectEvent>of(null)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                        .addMetadata(written))
                .map(done -> written.getResult().offset());
    }
}
