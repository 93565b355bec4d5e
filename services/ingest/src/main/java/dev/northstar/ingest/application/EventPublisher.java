package dev.northstar.ingest.application;

import dev.northstar.model.event.ProductEvent;
import io.smallrye.mutiny.Uni;

import java.util.List;

/** Port: puts events on the events topic; the Uni completes once Kafka acknowledged every one. */
public interface EventPublisher {

    Uni<Void> publish(List<ProductEvent> events);
}
