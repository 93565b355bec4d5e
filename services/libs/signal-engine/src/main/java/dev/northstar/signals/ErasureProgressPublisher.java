package dev.northstar.signals;

import dev.northstar.model.erasure.ActorErasure;
import dev.northstar.model.erasure.ErasureProgress;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topics;
import dev.northstar.platform.config.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says, on {@link Topics#ERASURE_PROGRESS}, which partitions of the events topic this instance owns
 * whose state reflects each erasure (rebuilt without the person, or never holding the project), once
 * per erasure and partition (again after a restart: the topic is compacted, a repeat changes nothing).
 * Ingest answers an erasure's status from these words.
 */
@ApplicationScoped
class ErasureProgressPublisher {

    private static final Logger LOG = Logger.getLogger(ErasureProgressPublisher.class);

    private final SignalEngine engine;
    private final Erasures erasures;
    private final KafkaClients clients;
    private final String service;
    private final Clock clock;
    /** Keys written (acknowledged) by this instance. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private KafkaProducer<String, byte[]> producer;

    ErasureProgressPublisher(SignalEngine engine, Erasures erasures, KafkaClients clients, Clock clock,
                             @ConfigProperty(name = "quarkus.application.name") String service) {
        this.engine = engine;
        this.erasures = erasures;
        this.clients = clients;
        this.clock = clock;
        this.service = service;
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void report() {
        if (!erasures.isLoaded()) {
            return;
        }
        try {
            for (ActorErasure erasure : erasures.records()) {
                for (SignalState.Reflected reflected : engine.state().reflecting(erasure.projectId(), erasure.actorId())) {
                    String key = Topics.erasureProgressKey(erasure.erasureId(), service, reflected.partition());
                    if (reported.contains(key)) {
                        continue;
                    }
                    byte[] value = NorthstarJson.mapper().writeValueAsBytes(new ErasureProgress(erasure.erasureId(),
                            erasure.projectId(), service, reflected.partition(), clock.instant(), reflected.linkedIds()));
                    producer().send(new ProducerRecord<>(Topics.ERASURE_PROGRESS.name(), key, value), (written, failure) -> {
                        if (failure == null) {
                            reported.add(key);
                        }
                    });
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not report erasure progress (%s); trying again in a second", e.toString());
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(clients.admin(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 50,
                    ProducerConfig.CLIENT_ID_CONFIG, service + "-erasure-progress")),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    synchronized void stop(@Observes ShutdownEvent stopping) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }
}
