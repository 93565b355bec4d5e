package dev.northstar.ingest.application;

import dev.northstar.model.erasure.ActorErasure;
import dev.northstar.model.erasure.ErasureProgress;
import dev.northstar.model.topic.Topics;
import dev.northstar.platform.config.KafkaClients;
import dev.northstar.platform.messaging.TopicCatchUp;
import dev.northstar.platform.usecase.Refused;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where each erasure stands: every erasure (from the erasures topic, and those this instance just
 * wrote) and, per signal service, which partitions of the events topic reflect it (the services' words
 * on the erasure-progress topic). {@code applied} once every service has said so for every partition,
 * at the latest of those times; {@code pending} until then.
 */
@ApplicationScoped
public class ErasureStatuses {

    /** One service's progress on an erasure. */
    public record ServiceProgress(int partitions, int reflecting) {
    }

    /**
     * An erasure's status. {@code ids}: the person's ids erased, the one asked for and the anonymous ids
     * found linked to it (known once applied; 1 before).
     */
    public record Status(String erasureId, String projectId, String actorId, String status, Instant requestedAt,
                         Instant appliedAt, int ids, Map<String, ServiceProgress> services) {
    }

    private final Map<String, ActorErasure> erasures = new ConcurrentHashMap<>();
    /** erasureId → service → partition → word. */
    private final Map<String, Map<String, Map<Integer, ErasureProgress>>> progress = new ConcurrentHashMap<>();
    private final TopicCatchUp erasuresRead;
    private final TopicCatchUp progressRead;
    private final KafkaClients clients;
    private final List<String> services;
    private volatile int partitions;

    public ErasureStatuses(KafkaClients clients,
                           @ConfigProperty(name = "northstar.ingest.erasure-services",
                                   defaultValue = "adoption,friction,feedback") List<String> services) {
        this.clients = clients;
        this.services = List.copyOf(services);
        this.erasuresRead = new TopicCatchUp(Topics.ERASURES.name(), clients.admin(Map.of()));
        this.progressRead = new TopicCatchUp(Topics.ERASURE_PROGRESS.name(), clients.admin(Map.of()));
    }

    /** An erasure this instance has just written (known here before it reads it back). */
    public void requested(ActorErasure erasure) {
        erasures.put(erasure.erasureId(), erasure);
    }

    public void erasure(ConsumerRecord<?, ?> record, ActorErasure erasure) {
        if (erasure != null) {
            erasures.put(erasure.erasureId(), erasure);
        }
        erasuresRead.consumed(record);
    }

    public void progress(ConsumerRecord<?, ?> record, ErasureProgress word) {
        if (word != null) {
            progress.computeIfAbsent(word.erasureId(), id -> new ConcurrentHashMap<>())
                    .computeIfAbsent(word.service(), s -> new ConcurrentHashMap<>())
                    .put(word.partition(), word);
        }
        progressRead.consumed(record);
    }

    /** The status of {@code erasureId} in {@code projectId}; blocking (the first call asks the broker). */
    public Status status(String projectId, String erasureId) {
        ActorErasure erasure = erasures.get(erasureId);
        if (erasure == null && !(erasuresRead.isCaughtUp() && progressRead.isCaughtUp())) {
            throw Refused.unavailable("The erasures are still being read; retry shortly.", Duration.ofSeconds(1));
        }
        if (erasure == null || !erasure.projectId().equals(projectId)) {
            throw Refused.notFound("Project " + projectId + " has no erasure " + erasureId + ".");
        }
        int total = partitions();
        Map<String, Map<Integer, ErasureProgress>> words = progress.getOrDefault(erasureId, Map.of());
        Map<String, ServiceProgress> byService = new LinkedHashMap<>();
        boolean applied = true;
        Instant appliedAt = null;
        int linked = 0;
        for (String service : services) {
            Map<Integer, ErasureProgress> parts = words.getOrDefault(service, Map.of());
            int reflecting = (int) parts.keySet().stream().filter(p -> p < total).count();
            byService.put(service, new ServiceProgress(total, reflecting));
            applied &= reflecting >= total;
            for (ErasureProgress word : parts.values()) {
                appliedAt = appliedAt == null || word.appliedAt().isAfter(appliedAt) ? word.appliedAt() : appliedAt;
            }
            linked = Math.max(linked, parts.values().stream().mapToInt(ErasureProgress::linkedIds).sum());
        }
        return new Status(erasureId, projectId, erasure.actorId(), applied ? "applied" : "pending",
                erasure.requestedAt(), applied ? appliedAt : null, 1 + linked, byService);
    }

    /** Partitions of the events topic, asked once. */
    private int partitions() {
        int known = partitions;
        if (known > 0) {
            return known;
        }
        try (Admin admin = Admin.create(clients.admin(Map.of()))) {
            known = admin.describeTopics(List.of(Topics.EVENTS.name())).allTopicNames().get(5, TimeUnit.SECONDS)
                    .get(Topics.EVENTS.name()).partitions().size();
            partitions = known;
            return known;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refused.unavailable("Interrupted; retry.", Duration.ofSeconds(1));
        } catch (Exception e) {
            throw Refused.unavailable("Kafka did not say how the events are partitioned; retry shortly.",
                    Duration.ofSeconds(1));
        }
    }

    Optional<ActorErasure> find(String erasureId) {
        return Optional.ofNullable(erasures.get(erasureId));
    }

    /** Erasures known (tests). */
    Map<String, ActorErasure> known() {
        return new HashMap<>(erasures);
    }
}
