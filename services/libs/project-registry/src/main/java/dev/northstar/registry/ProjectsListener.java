package dev.northstar.registry;

import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.model.project.ProjectEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the whole projects topic back (every instance, its own group) into the registry of key
 * hashes, feature declarations and settings, and tells the catch-up how far it got. The channel's
 * settings are this library's ({@code META-INF/microprofile-config.properties}): a service that
 * depends on it authenticates keys.
 */
@ApplicationScoped
class ProjectsListener {

    private final IncomingRecords records;
    private final ProjectRegistry registry;
    private final RegistryCatchUp catchUp;

    ProjectsListener(IncomingRecords records, ProjectRegistry registry, RegistryCatchUp catchUp) {
        this.records = records;
        this.registry = registry;
        this.catchUp = catchUp;
    }

    @Incoming("projects")
    void onProject(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            registry.remove(record.key()); // a tombstone: a removed declaration, or a retraction
        } else {
            records.value(record, ProjectEvent.class).ifPresent(event -> registry.apply(record.key(), event));
        }
        catchUp.consumed(record);
    }
}
