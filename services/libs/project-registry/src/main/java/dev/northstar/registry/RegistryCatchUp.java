package dev.northstar.registry;

import dev.northstar.platform.messaging.TopicCatchUp;
import dev.northstar.model.topic.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.northstar.platform.config.KafkaAddress;

/**
 * Knows whether this instance has read the projects topic up to where it ended when the instance
 * started. Until then a key it does not know may simply not be loaded yet: the service is not
 * ready, and such a key is answered 503 (retry), never 401 (which a producer would not retry).
 */
@ApplicationScoped
public class RegistryCatchUp {

    private final TopicCatchUp projects;

    public RegistryCatchUp(KafkaAddress kafka) {
        this.projects = new TopicCatchUp(Topics.PROJECTS.name(), kafka.bootstrapServers());
    }

    /** Called by the projects listener for every record it read. */
    public void consumed(ConsumerRecord<?, ?> record) {
        projects.consumed(record);
    }

    /** Whether every record that was on the projects topic at startup has been read. Latches. */
    public boolean isCaughtUp() {
        return projects.isCaughtUp();
    }
}
