package dev.northstar.signals;

import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Writes transfers (ADR 0017) to the events topic, keyed by project and user so they land on the
 * user's partition, and retries each until the broker has it: a transfer is never given up, since a
 * state saved past the event it came from would not send it again. {@link #flush()} tells when
 * everything sent so far is on the topic; the engine saves and commits only then.
 */
@ApplicationScoped
public class Transfers implements SignalState.TransferSink {

    static final String CHANNEL = "transfers";
    private static final Logger LOG = Logger.getLogger(Transfers.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

    private final MutinyEmitter<ProductEvent> emitter;
    private final Map<CompletableFuture<Void>, Boolean> pending = new ConcurrentHashMap<>();
    private final Counter sent;
    private final Counter retried;

    Transfers(@Channel(CHANNEL) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<ProductEvent> emitter,
              MeterRegistry meters, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.emitter = emitter;
        this.sent = meters.counter("northstar_identity_transfers_sent", "service", service);
        this.retried = meters.counter("northstar_identity_transfers_retried", "service", service);
    }

    @Override
    public void send(List<ProductEvent> transfers) {
        for (ProductEvent transfer : transfers) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            pending.put(done, Boolean.TRUE);
            done.whenComplete((ok, failure) -> pending.remove(done));
            attempt(transfer, done, FIRST_RETRY);
        }
    }

    private void attempt(ProductEvent transfer, CompletableFuture<Void> done, Duration pause) {
        emitter.sendMessage(Message.of(transfer).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(Topics.eventKey(transfer.projectId(), transfer.keyActor())).build()))
                .subscribe().with(ok -> {
                    sent.increment();
                    done.complete(null);
                }, failure -> {
                    retried.increment();
                    LOG.warnf("A transfer to %s was not written (%s); retrying in %d ms", transfer.keyActor(),
                            failure.toString(), pause.toMillis());
                    CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
                            attempt(transfer, done, pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0
                                    ? LONGEST_RETRY : pause.multipliedBy(2)));
                });
    }

    @Override
    public CompletableFuture<Void> flush() {
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(pending.keySet().toArray(CompletableFuture[]::new));
    }
}
