package dev.northstar.signals;

import dev.northstar.model.event.ProductEvent;
import dev.northstar.platform.messaging.IncomingRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Optional;

/**
 * How a signal service reads the records of its input topic: empty for a record that cannot be
 * counted, which the reader has dead-lettered (through {@link IncomingRecords}) with the reason.
 * Called from several threads at once.
 *
 * @param <I> what the service's ledger counts
 */
@FunctionalInterface
public interface InputReader<I> {

    Optional<I> read(ConsumerRecord<String, byte[]> record, IncomingRecords records);

    /** Product events from the events topic (the engine's default input). */
    static InputReader<ProductEvent> productEvents() {
        return (record, records) -> records.event(record);
    }

    /** JSON values of {@code type}, such as another service's snapshots; tombstones are skipped. */
    static <I> InputReader<I> values(Class<I> type) {
        return (record, records) -> records.value(record, type);
    }
}
