package dev.northstar.signals;

import dev.northstar.model.event.ProductEvent;

/**
 * A ledger of product events (adoption, friction, feedback): {@link #record} answers false when the
 * event's eventId was already counted for its project.
 *
 * @param <T> the snapshot record type of the service's output topic
 */
public interface EventLedger<T> extends Ledger<ProductEvent, T> {
}
