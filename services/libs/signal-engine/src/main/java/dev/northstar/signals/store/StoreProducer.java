package dev.northstar.signals.store;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/** The store chosen by {@code northstar.store.kind}. */
@ApplicationScoped
public class StoreProducer {

    private static final Logger LOG = Logger.getLogger(StoreProducer.class);

    @Produces
    @ApplicationScoped
    PartitionStore store(StoreConfig config, MeterRegistry meters) {
        return switch (config.kind()) {
            case memory -> {
                LOG.info("State store: memory (every start replays the input from the earliest offset)");
                yield new MemoryStore();
            }
            case json -> {
                LOG.infof("State store: json files under %s", config.dir().toAbsolutePath());
                yield new JsonFileStore(config.dir(),
                        reason -> meters.counter("northstar_store_snapshots_unusable").increment());
            }
        };
    }
}
