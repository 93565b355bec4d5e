package dev.northstar.kit.signals;

import dev.northstar.kit.messaging.DeadLetters;
import dev.northstar.kit.messaging.IncomingRecords;
import dev.northstar.kit.messaging.SnapshotSender;
import dev.northstar.model.event.ProductEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import java.time.Clock;

/**
 * One service instance's ledger with what every signal service does around it: consume a batch
 * of event records (dead-lettering what cannot be read, counting duplicates), and publish the
 * snapshots of what changed, waiting for the broker's acknowledgement. Access to the ledger is
 * serialized on this object.
 */
public final class SignalState<T> {

    private final EventLedger<T> ledger;
    private final IncomingRecords records;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Counter counted;
    private final Counter duplicates;

    public SignalState(String service, EventLedger<T> ledger, IncomingRecords records, DeadLetters deadLetters,
                       Clock clock, MeterRegistry meters) {
        this.ledger = ledger;
        this.records = records;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.counted = meters.counter("northstar_events_counted", "service", service);
        this.duplicates = meters.counter("northstar_events_duplicates", "service", service);
    }

    /** Counts every readable event of a batch; each record that cannot be counted is dead-lettered. */
    public void consume(ConsumerRecords<String, byte[]> batch) {
        for (ConsumerRecord<String, byte[]> record : batch) {
            try {
                records.event(record).ifPresent(this::record);
            } catch (RuntimeException e) {
                deadLetters.send(record, DeadLetters.Reason.HANDLER_ERROR, e.toString());
            }
        }
    }

    public synchronized void record(ProductEvent event) {
        if (ledger.record(event)) {
            counted.increment();
        } else {
            duplicates.increment();
        }
    }

    /**
     * Publishes the snapshots of what changed and waits for the broker. If that fails, everything is
     * marked changed again, so nothing is lost: the next run republishes it.
     */
    public void publishChanged(MutinyEmitter<T> emitter) {
        if (!SnapshotSender.ready(emitter)) {
            return;
        }
        var snapshots = drainChanged();
        try {
            SnapshotSender.sendAll(emitter, snapshots);
        } catch (RuntimeException e) {
            markAllChanged();
            throw e;
        }
    }

    private synchronized java.util.List<dev.northstar.model.topic.Keyed<T>> drainChanged() {
        return ledger.drainChanged(clock.instant());
    }

    public synchronized void markAllChanged() {
        ledger.markAllChanged();
    }
}
