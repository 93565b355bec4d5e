package dev.northstar.notifier.adapter.in.messaging;

import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.notify.FeatureHistory;
import dev.northstar.model.notify.WebhookDelivery;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.topic.Topics;
import dev.northstar.notifier.adapter.out.http.WebhookSender;
import dev.northstar.notifier.application.WebhookDirectory;
import dev.northstar.notifier.config.NotifierConfig;
import dev.northstar.notifier.domain.Alert;
import dev.northstar.notifier.domain.Backoff;
import dev.northstar.notifier.domain.ChangeDetector;
import dev.northstar.platform.config.KafkaClients;
import dev.northstar.platform.messaging.DeadLetters;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The notifier's core, one thread: reads the recommendations on {@code feature-insights} in the
 * consumer group {@code northstar-notifier}, compares each with its feature's history, and writes, in
 * one Kafka transaction with the consumed offsets, the new history and one pending delivery per
 * webhook that wants the alert, to the same partition of {@code feature-history} and
 * {@code webhook-deliveries} as the insight's (so the instance that owns a partition owns its
 * history and deliveries). Killed at any point, the transaction is either whole or absent: a change is
 * detected once, and a pending delivery is never lost. It then attempts the due deliveries of its
 * partitions and writes each attempt's outcome (with the retry time, or delivered, or given up) the
 * same way. An alert may reach a receiver more than once (an attempt whose outcome was not written
 * before a crash is made again), always with the same delivery id.
 * <p>
 * On an assignment it reads the history and pending deliveries of its new partitions (committed
 * records only); a rebalance or a failed transaction starts a new session from what the topics hold.
 */
@ApplicationScoped
public class AlertLoop {

    private static final Logger LOG = Logger.getLogger(AlertLoop.class);
    public static final String GROUP = "northstar-notifier";

    private final KafkaClients clients;
    private final WebhookDirectory directory;
    private final WebhookSender sender;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final ChangeDetector detector;
    private final Backoff backoff;
    private final int concurrency;
    /** Longest the loop waits for this poll's dead letters to be on their topic before it commits past them. */
    static final Duration LETTERS_WAIT = Duration.ofSeconds(10);
    private final String group;
    private volatile boolean running;
    private volatile boolean subscribed;
    private Thread thread;

    @jakarta.inject.Inject
    public AlertLoop(KafkaClients clients, WebhookDirectory directory, WebhookSender sender, DeadLetters deadLetters,
                     Clock clock, NotifierConfig config) {
        this(clients, directory, sender, deadLetters, clock, config, GROUP);
    }

    /** In another consumer group (tests). */
    AlertLoop(KafkaClients clients, WebhookDirectory directory, WebhookSender sender, DeadLetters deadLetters,
              Clock clock, NotifierConfig config, String group) {
        this.group = group;
        this.clients = clients;
        this.directory = directory;
        this.sender = sender;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.detector = new ChangeDetector(config.settle(), () -> "al_" + UUID.randomUUID().toString().replace("-", ""));
        this.backoff = new Backoff(config.retry().initial(), config.retry().maxInterval(), config.retry().giveUpAfter());
        this.concurrency = config.concurrentDeliveries();
    }

    void start(@Observes StartupEvent started) {
        running = true;
        thread = new Thread(this::run, "notifier-alerts");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(10_000);
        }
    }

    /** Whether the loop is in its consumer group, with its webhooks loaded (readiness). */
    public boolean isRunning() {
        return subscribed;
    }

    private void run() {
        while (running) {
            try {
                new Session().run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Alert session ended (%s); starting a new one from what the topics hold", e.getMessage());
                sleep(1000);
            } finally {
                subscribed = false;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What an instance holds for one partition it owns. */
    private static final class Owned {
        final Map<String, FeatureHistory> history = new HashMap<>();
        final Map<String, WebhookDelivery> pending = new HashMap<>();
    }

    /** The outcome of one attempt, from a sender thread. */
    private record Result(int partition, String key, WebhookDelivery delivery, WebhookDelivery.Attempt attempt,
                          boolean webhookGone) {
    }

    /** One consumer, one transactional producer, and what they own; ended by any failure. */
    private final class Session implements ConsumerRebalanceListener {
        private final Map<Integer, Owned> owned = new HashMap<>();
        /** Deliveries being attempted, by key, with their partition. */
        private final Map<String, Integer> inFlight = new HashMap<>();
        private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
        private KafkaConsumer<String, byte[]> consumer;
        private KafkaConsumer<String, byte[]> reader;

        void run() {
            while (running && !directory.isCaughtUp()) {
                sleep(100);
            }
            Map<String, Object> consumerConfig = clients.admin(Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                    ConsumerConfig.CLIENT_ID_CONFIG, "notifier-alerts"));
            Map<String, Object> readerConfig = clients.admin(Map.of(
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.CLIENT_ID_CONFIG, "notifier-state"));
            Map<String, Object> producerConfig = clients.admin(Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + "-" + UUID.randomUUID(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000,
                    ProducerConfig.CLIENT_ID_CONFIG, "notifier-alerts"));
            try (var c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
                 var r = new KafkaConsumer<>(readerConfig, new StringDeserializer(), new ByteArrayDeserializer());
                 var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
                consumer = c;
                reader = r;
                producer.initTransactions();
                consumer.subscribe(List.of(Topics.FEATURE_INSIGHTS.name()), this);
                subscribed = true;
                while (running) {
                    iterate(producer);
                }
            }
        }

        private void iterate(KafkaProducer<String, byte[]> producer) {
            var records = consumer.poll(Duration.ofMillis(200));
            List<ProducerRecord<String, byte[]>> writes = new ArrayList<>();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            List<java.util.concurrent.CompletableFuture<Void>> letters = new ArrayList<>();
            Instant now = clock.instant();
            for (ConsumerRecord<String, byte[]> record : records) {
                offsets.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
                Owned partition = owned.get(record.partition());
                FeatureInsight insight = insight(record, letters);
                if (partition == null || insight == null) {
                    continue;
                }
                var outcome = detector.detect(partition.history.get(record.key()), insight);
                if (outcome.history() != null) {
                    partition.history.put(record.key(), outcome.history());
                    writes.add(new ProducerRecord<>(Topics.FEATURE_HISTORY.name(), record.partition(), record.key(),
                            json(outcome.history())));
                }
                for (Alert alert : outcome.alerts()) {
                    String body = new String(json(alert), java.nio.charset.StandardCharsets.UTF_8);
                    for (var webhook : directory.of(alert.projectId())) {
                        if (!webhook.wants(alert.type())) {
                            continue;
                        }
                        var delivery = new WebhookDelivery(alert.id(), webhook.id(), alert.projectId(), alert.feature(),
                                alert.type(), WebhookDelivery.Status.PENDING, now, now, 0, List.of(), body);
                        String key = Topics.deliveryKey(alert.projectId(), webhook.id(), alert.id());
                        partition.pending.put(key, delivery);
                        writes.add(delivery(record.partition(), key, delivery));
                    }
                    LOG.infof("Alert %s %s for %s/%s", alert.id(), alert.type().wireName(), alert.projectId(),
                            alert.feature());
                }
            }
            for (Result result; (result = results.poll()) != null; ) {
                inFlight.remove(result.key());
                Owned partition = owned.get(result.partition());
                WebhookDelivery current = partition == null ? null : partition.pending.get(result.key());
                if (current == null || current.attemptCount() != result.delivery().attemptCount()) {
                    continue; // no longer ours, or already moved on
                }
                WebhookDelivery next = after(current, result, now);
                if (next.status() == WebhookDelivery.Status.PENDING) {
                    partition.pending.put(result.key(), next);
                } else {
                    partition.pending.remove(result.key());
                }
                writes.add(delivery(result.partition(), result.key(), next));
            }
            if (!writes.isEmpty() || !offsets.isEmpty()) {
                requireOnTopic(letters);
                producer.beginTransaction();
                try {
                    writes.forEach(producer::send);
                    if (!offsets.isEmpty()) {
                        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    }
                    producer.commitTransaction();
                } catch (RuntimeException e) {
                    try {
                        producer.abortTransaction();
                    } catch (RuntimeException ignored) {
                        // fenced or broken: the session ends either way
                    }
                    throw e;
                }
            }
            attemptDue(now);
        }

        /**
         * Waits until the dead letters of this poll are on their topic: the offsets committed next would
         * pass their records, and a record whose letter is lost with this process would be lost. Not there
         * within {@link #LETTERS_WAIT}: the session ends without committing (the next reads the records
         * again from the last commit; a second letter for a record is a duplicate, never a loss).
         */
        private void requireOnTopic(List<java.util.concurrent.CompletableFuture<Void>> letters) {
            if (letters.isEmpty()) {
                return;
            }
            try {
                java.util.concurrent.CompletableFuture.allOf(letters.toArray(java.util.concurrent.CompletableFuture[]::new))
                        .get(LETTERS_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for dead letters", e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(letters.size() + " dead letter(s) not on the dead-letter topic within "
                        + LETTERS_WAIT.toSeconds() + " s: nothing committed past their records", e);
            }
        }

        private WebhookDelivery after(WebhookDelivery current, Result result, Instant now) {
            var attempt = result.attempt();
            if (result.webhookGone()) {
                return current.after(attempt, WebhookDelivery.Status.GAVE_UP, null);
            }
            if (attempt.error() == null) {
                return current.after(attempt, WebhookDelivery.Status.DELIVERED, null);
            }
            Instant next = backoff.next(current.createdAt(), current.attemptCount() + 1, now,
                    () -> ThreadLocalRandom.current().nextDouble());
            return next == null ? current.after(attempt, WebhookDelivery.Status.GAVE_UP, null)
                    : current.after(attempt, WebhookDelivery.Status.PENDING, next);
        }

        private void attemptDue(Instant now) {
            for (var entry : owned.entrySet()) {
                int partition = entry.getKey();
                for (var pending : entry.getValue().pending.entrySet()) {
                    if (inFlight.size() >= concurrency) {
                        return;
                    }
                    String key = pending.getKey();
                    WebhookDelivery delivery = pending.getValue();
                    if (inFlight.containsKey(key) || delivery.nextAttemptAt() == null
                            || delivery.nextAttemptAt().isAfter(now)) {
                        continue;
                    }
                    inFlight.put(key, partition);
                    var webhook = directory.find(delivery.projectId(), delivery.webhookId());
                    if (webhook.isEmpty()) {
                        results.add(new Result(partition, key, delivery,
                                new WebhookDelivery.Attempt(now, 0, "the webhook was deleted", 0), true));
                        continue;
                    }
                    sender.send(webhook.get(), delivery).thenAccept(attempt ->
                            results.add(new Result(partition, key, delivery, attempt, false)));
                }
            }
        }

        private FeatureInsight insight(ConsumerRecord<String, byte[]> record,
                                       List<java.util.concurrent.CompletableFuture<Void>> letters) {
            if (record.value() == null) {
                return null;
            }
            try {
                var insight = NorthstarJson.mapper().readValue(record.value(), FeatureInsight.class);
                if (insight.recommendation() == null || insight.asOf() == null
                        || !Topics.featureKey(insight.projectId(), insight.feature()).equals(record.key())) {
                    letters.add(deadLetters.send(record, DeadLetters.Reason.INVALID, "a recommendation needs its action"
                            + " and asOf, under the key projectId/feature of its body"));
                    return null;
                }
                return insight;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                letters.add(deadLetters.send(record, DeadLetters.Reason.UNPARSEABLE, NorthstarJson.describe(e)));
                return null;
            } catch (IOException e) {
                letters.add(deadLetters.send(record, DeadLetters.Reason.UNPARSEABLE, e.getClass().getSimpleName()));
                return null;
            }
        }

        private ProducerRecord<String, byte[]> delivery(int partition, String key, WebhookDelivery delivery) {
            return new ProducerRecord<>(Topics.WEBHOOK_DELIVERIES.name(), partition, key, json(delivery));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> {
                owned.remove(p.partition());
                inFlight.values().removeIf(partition -> partition == p.partition());
            });
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition p : partitions) {
                owned.put(p.partition(), load(p.partition()));
            }
            LOG.infof("Owns feature-insights partitions %s", owned.keySet());
        }

        /** The history and pending deliveries of one partition, as committed. */
        private Owned load(int partition) {
            Owned state = new Owned();
            var history = new TopicPartition(Topics.FEATURE_HISTORY.name(), partition);
            var deliveries = new TopicPartition(Topics.WEBHOOK_DELIVERIES.name(), partition);
            List<TopicPartition> both = List.of(history, deliveries);
            reader.assign(both);
            reader.seekToBeginning(both);
            Map<TopicPartition, Long> end = reader.endOffsets(both);
            while (both.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(history.topic())) {
                        read(record, FeatureHistory.class, h -> state.history.put(record.key(), h),
                                () -> state.history.remove(record.key()));
                    } else {
                        read(record, WebhookDelivery.class, d -> {
                            if (d.status() == WebhookDelivery.Status.PENDING) {
                                state.pending.put(record.key(), d);
                            } else {
                                state.pending.remove(record.key());
                            }
                        }, () -> state.pending.remove(record.key()));
                    }
                }
            }
            reader.unsubscribe();
            return state;
        }

        private <T> void read(ConsumerRecord<String, byte[]> record, Class<T> type, java.util.function.Consumer<T> put,
                              Runnable remove) {
            if (record.value() == null) {
                remove.run();
                return;
            }
            try {
                put.accept(NorthstarJson.mapper().readValue(record.value(), type));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                deadLetters.send(record, DeadLetters.Reason.UNPARSEABLE, NorthstarJson.describe(e));
            } catch (IOException e) {
                deadLetters.send(record, DeadLetters.Reason.UNPARSEABLE, e.getClass().getSimpleName());
            }
        }
    }

    private static byte[] json(Object value) {
        try {
            return NorthstarJson.mapper().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }
}
