package dev.northstar.signals;

import dev.northstar.model.erasure.ActorErasure;
import dev.northstar.platform.messaging.IncomingRecords;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the whole erasures topic (every instance, its own group) into {@link Erasures}, and has the
 * state erase each new one: the partitions holding the project are rebuilt without the actor.
 */
@ApplicationScoped
class ErasuresListener {

    private final IncomingRecords records;
    private final Erasures erasures;
    private final SignalEngine engine;

    ErasuresListener(IncomingRecords records, Erasures erasures, SignalEngine engine) {
        this.records = records;
        this.erasures = erasures;
        this.engine = engine;
    }

    @Incoming("erasures")
    void onErasure(ConsumerRecord<String, byte[]> record) {
        records.value(record, ActorErasure.class).ifPresent(erasure -> {
            if (erasures.add(erasure)) {
                engine.state().erase(erasure.projectId(), erasure.actorId());
            }
        });
        erasures.consumed(record);
    }
}
