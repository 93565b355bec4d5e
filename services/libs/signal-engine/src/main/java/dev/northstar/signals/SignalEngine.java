package dev.northstar.signals;

import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;
import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.platform.tracing.Tracing;
import dev.northstar.signals.store.PartitionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;

/**
 * The state of this signal service instance: one ledger per owned partition of its input topic,
 * made and saved as the service's {@link SignalDefinition} says (the one thing a signal service
 * provides besides its ledger). The listener feeds it, the rebalance listener and the saver tie
 * it to partitions and files, the publisher drains it.
 */
@ApplicationScoped
public class SignalEngine {

    private final SignalState<?, ?> state;

    SignalEngine(SignalDefinition<?, ?> definition, PartitionStore store, IncomingRecords records, DeadLetters deadLetters,
                 Clock clock, MeterRegistry meters, @ConfigProperty(name = "quarkus.application.name") String service,
                 @ConfigProperty(name = "mp.messaging.incoming.input.topic") String input, KafkaClientService kafka,
                 Erasures erasures, Transfers transfers, Tracing tracing) {
        // A compacted input (another service's snapshots) has gaps between offsets by design.
        boolean gapsExpected = Topics.byName(input).map(Topic::compacted).orElse(false);
        this.state = state(service, definition, store, records, deadLetters, clock, meters, gapsExpected, erasures);
        this.state.positions(new KafkaInputPositions(kafka, InputListener.CHANNEL, state));
        this.state.transfers(transfers);
        this.state.tracing(tracing);
    }

    private static <I, T> SignalState<I, T> state(String service, SignalDefinition<I, T> definition,
                                                  PartitionStore store, IncomingRecords records,
                                                  DeadLetters deadLetters, Clock clock, MeterRegistry meters,
                                                  boolean gapsExpected, ErasureView erasures) {
        return new SignalState<>(service, definition.input(), definition.ledgers(), store, records, deadLetters, clock,
                meters, gapsExpected, erasures);
    }

    public SignalState<?, ?> state() {
        return state;
    }
}
