package dev.northstar.adoption.adapter.in.messaging;

import dev.northstar.adoption.application.AdoptionSignals;
import dev.northstar.kit.messaging.DeadLetters;
import dev.northstar.kit.messaging.IncomingRecords;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes product events in batches; a record that cannot be counted is dead-lettered, the rest go on. */
@ApplicationScoped
class EventsListener {

    private final IncomingRecords records;
    private final AdoptionSignals signals;
    private final DeadLetters deadLetters;

    EventsListener(IncomingRecords records, AdoptionSignals signals, DeadLetters deadLetters) {
        this.records = records;
        this.signals = signals;
        this.deadLetters = deadLetters;
    }

    @Incoming("events")
    void onEvents(ConsumerRecords<String, byte[]> batch) {
        for (ConsumerRecord<String, byte[]> record : batch) {
            try {
                records.event(record).ifPresent(signals::record);
            } catch (RuntimeException e) {
                deadLetters.send(record, DeadLetters.Reason.HANDLER_ERROR, e.toString());
            }
        }
    }
}
