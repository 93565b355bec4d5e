package dev.northstar.signals;

import dev.northstar.model.topic.Topics;
import dev.northstar.platform.config.KafkaClients;
import dev.northstar.platform.messaging.TopicCatchUp;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every erasure on the erasures topic, read whole by every instance ({@link ErasuresListener}): the
 * actors this service must never count. Loaded once it has read everything that was on the topic
 * when the service started; until then the service counts nothing (the input waits) and is not ready.
 */
@ApplicationScoped
public class Erasures implements ErasureView {

    private final Map<String, Set<String>> erased = new ConcurrentHashMap<>();
    private final TopicCatchUp catchUp;
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();

    public Erasures(KafkaClients clients) {
        this.catchUp = new TopicCatchUp(Topics.ERASURES.name(), clients.admin(Map.of()));
    }

    /** The latest erasure record of each project and actor (its id is what ingest answers the status of). */
    private final Map<String, dev.northstar.model.erasure.ActorErasure> records = new ConcurrentHashMap<>();

    /** Adds an erasure; true when the actor is newly erased (a repeated request only renews the record). */
    boolean add(dev.northstar.model.erasure.ActorErasure erasure) {
        records.put(erasure.recordKey(), erasure);
        return erased.computeIfAbsent(erasure.projectId(), p -> ConcurrentHashMap.newKeySet()).add(erasure.actorId());
    }

    /** Every erasure record known, one per project and actor. */
    java.util.Collection<dev.northstar.model.erasure.ActorErasure> records() {
        return records.values();
    }

    /** Called by the listener for every record it has applied. */
    void consumed(ConsumerRecord<?, ?> record) {
        catchUp.consumed(record);
        checkLoaded();
    }

    /** Also when the topic is empty: no record will ever say it. */
    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkLoaded() {
        if (!loaded.isDone() && catchUp.isCaughtUp()) {
            loaded.complete(null);
        }
    }

    @Override
    public Set<String> erasedIn(String projectId) {
        Set<String> actors = erased.get(projectId);
        return actors == null ? Set.of() : actors;
    }

    @Override
    public Map<String, Set<String>> all() {
        return erased;
    }

    @Override
    public CompletionStage<Void> loaded() {
        return loaded;
    }

    /** Whether every erasure recorded before this service started is known. */
    boolean isLoaded() {
        return loaded.isDone();
    }

    /** How many projects have erasures. */
    int projects() {
        return erased.size();
    }
}
