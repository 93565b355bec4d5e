package dev.northstar.signals;

import dev.northstar.platform.topics.TopicNeeds;
import dev.northstar.signals.store.StoreConfig;
import dev.northstar.topics.TopicNeed;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * The input topic is what the state is rebuilt from: with the {@code memory} store (everything
 * replayed at each start) it must keep its records forever, or all-time numbers would silently
 * count only what retention left; with the {@code json} store at least
 * {@code northstar.store.min-input-retention}. Checked at start by the platform's topics check.
 */
@ApplicationScoped
class InputRetention implements TopicNeeds {

    private final TopicNeed need;

    InputRetention(StoreConfig store, @ConfigProperty(name = "mp.messaging.incoming.input.topic") String input,
                   @ConfigProperty(name = "quarkus.application.name") String service) {
        TopicNeed reads = TopicNeed.exists(input, service + " rebuilds its state from it");
        this.need = store.kind() == StoreConfig.Kind.memory
                ? reads.keptAtLeast(TopicNeed.FOREVER, "northstar.store.kind=memory replays it whole at each start")
                : reads.keptAtLeast(store.minInputRetention(), "northstar.store.kind=json rebuilds a partition from it "
                + "when its file is missing (northstar.store.min-input-retention)");
    }

    @Override
    public List<TopicNeed> needs() {
        return List.of(need);
    }
}
