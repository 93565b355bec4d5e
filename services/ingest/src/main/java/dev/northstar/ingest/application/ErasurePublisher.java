package dev.northstar.ingest.application;

import dev.northstar.model.erasure.ActorErasure;
import io.smallrye.mutiny.Uni;

/** Where erasures go: the compacted erasures topic every signal service reads. */
public interface ErasurePublisher {

    /** Publishes {@code erasure}; completes once Kafka acknowledged it. */
    Uni<Void> publish(ActorErasure erasure);
}
