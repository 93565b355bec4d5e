package dev.northstar.notifier.application;

import dev.northstar.model.notify.Webhook;
import dev.northstar.model.topic.Topics;
import dev.northstar.platform.config.KafkaClients;
import dev.northstar.platform.messaging.TopicCatchUp;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every project's webhooks, as this instance has read them from the webhooks topic (every instance
 * reads it whole). Until it has read what was there when it started, the notifier is not ready and
 * sends nothing: an alert must not miss a webhook that is merely not loaded yet.
 */
@ApplicationScoped
public class WebhookDirectory {

    private final Map<String, Webhook> byKey = new ConcurrentHashMap<>();
    private final TopicCatchUp catchUp;
    private long applied;

    public WebhookDirectory(KafkaClients clients) {
        this.catchUp = new TopicCatchUp(Topics.WEBHOOKS.name(), clients.admin(Map.of()));
    }

    /** Applies one record of the webhooks topic (null value: deleted). */
    public void apply(ConsumerRecord<String, ?> record, Webhook webhook) {
        if (webhook == null) {
            byKey.remove(record.key());
        } else {
            byKey.put(record.key(), webhook);
        }
        skipped(record);
    }

    /** Counts a record as read without applying it (it could not be read). */
    public void skipped(ConsumerRecord<String, ?> record) {
        catchUp.consumed(record);
        synchronized (this) {
            applied = Math.max(applied, record.offset() + 1);
            notifyAll();
        }
    }

    public boolean isCaughtUp() {
        return catchUp.isCaughtUp();
    }

    /** Waits up to {@code timeout} until the record at {@code offset} has been applied; whether it was. */
    public synchronized boolean awaitApplied(long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (applied <= offset) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** A project's webhooks, oldest first. */
    public List<Webhook> of(String projectId) {
        return byKey.values().stream().filter(w -> w.projectId().equals(projectId))
                .sorted(Comparator.comparing(Webhook::createdAt).thenComparing(Webhook::id)).toList();
    }

    public Optional<Webhook> find(String projectId, String webhookId) {
        return Optional.ofNullable(byKey.get(Topics.webhookKey(projectId, webhookId)));
    }
}
