package dev.northstar.ingest.adapter.out.messaging;

import dev.northstar.ingest.application.ProjectPublisher;
import dev.northstar.model.project.ProjectEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes project changes on the compacted projects topic, keyed by project. (The channel is
 * not called {@code projects}: that name is the incoming channel that reads the topic back.)
 */
@ApplicationScoped
class KafkaProjectPublisher implements ProjectPublisher {

    static final String CHANNEL = "project-changes";

    private final MutinyEmitter<ProjectEvent> emitter;

    KafkaProjectPublisher(@Channel(CHANNEL) MutinyEmitter<ProjectEvent> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Uni<Void> publish(ProjectEvent event) {
        return emitter.sendMessage(Message.of(event).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.projectId()).build()));
    }
}
