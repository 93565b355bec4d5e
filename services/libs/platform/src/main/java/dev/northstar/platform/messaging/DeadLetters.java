package dev.northstar.platform.messaging;

import dev.northstar.model.snapshot.DeadLetter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends what a consumer could not process to {@link dev.northstar.model.topic.Topics#DEAD_LETTER}, with the reason,
 * source topic, partition and offset as headers and in the body, and counts it by reason
 * ({@code northstar_dead_letters_total}). A letter the topic did not take is sent again, with a
 * growing pause, until it does; {@link #flush()} tells when everything sent so far is on the topic,
 * so a consumer moves its offsets past a bad record only then. While letters wait, the
 * {@code dead letters} readiness check is DOWN.
 */
@ApplicationScoped
public class DeadLetters {

    /** The outgoing channel every service configures for the dead-letter topic. */
    public static final String CHANNEL = "dead-letter";

    public static final String HEADER_REASON = "northstar.dlq.reason";
    public static final String HEADER_TOPIC = "northstar.dlq.topic";
    public static final String HEADER_PARTITION = "northstar.dlq.partition";
    public static final String HEADER_OFFSET = "northstar.dlq.offset";
    public static final String HEADER_SERVICE = "northstar.dlq.service";

    /** Why a record was dead-lettered, as counted in metrics. */
    public enum Reason {
        UNPARSEABLE("unparseable"), INVALID("invalid"), HANDLER_ERROR("handler-error");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

    private final Emitter<DeadLetter> emitter;
    /** Letters sent and not yet acknowledged, with when they were first sent. */
    private final Map<CompletableFuture<Void>, Instant> pending = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Clock clock;
    private final String service;

    public DeadLetters(@Channel(CHANNEL) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<DeadLetter> emitter, MeterRegistry meters, Clock clock,
                       @ConfigProperty(name = "quarkus.application.name") String service) {
        this.emitter = emitter;
        this.meters = meters;
        this.clock = clock;
        this.service = service;
    }

    /**
     * Dead-letters {@code record}. {@code detail} says what was wrong; it never contains the
     * payload itself (that travels in the dead letter's body only).
     */
    public CompletableFuture<Void> send(ConsumerRecord<String, byte[]> record, Reason reason, String detail) {
        meters.counter("northstar_dead_letters", "reason", reason.tag(), "topic", record.topic()).increment();
        LOG.warnf("Dead-lettering %s-%d@%d (%s): %s", record.topic(), record.partition(), record.offset(),
                reason.tag(), detail);
        String text = utf8(record.value());
        boolean base64 = text == null && record.value() != null;
        String payload = base64 ? Base64.getEncoder().encodeToString(record.value()) : text;
        var letter = new DeadLetter(reason.tag() + ": " + detail, service, record.topic(), record.partition(),
                record.offset(), payload, base64, clock.instant());
        var headers = new RecordHeaders()
                .add(HEADER_REASON, bytes(reason.tag() + ": " + detail))
                .add(HEADER_TOPIC, bytes(record.topic()))
                .add(HEADER_PARTITION, bytes(String.valueOf(record.partition())))
                .add(HEADER_OFFSET, bytes(String.valueOf(record.offset())))
                .add(HEADER_SERVICE, bytes(service));
        var done = new CompletableFuture<Void>();
        pending.put(done, clock.instant());
        done.whenComplete((ok, failure) -> pending.remove(done));
        attempt(letter, record.key(), headers, done, FIRST_RETRY);
        return done;
    }

    private void attempt(DeadLetter letter, String key, org.apache.kafka.common.header.Headers headers, CompletableFuture<Void> done,
                         Duration nextPause) {
        try {
            emitter.send(Message.of(letter)
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build())
                    .withAck(() -> {
                        done.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        retry(letter, key, headers, done, nextPause, failure);
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (RuntimeException e) {
            retry(letter, key, headers, done, nextPause, e);
        }
    }

    private void retry(DeadLetter letter, String key, org.apache.kafka.common.header.Headers headers, CompletableFuture<Void> done,
                       Duration pause, Throwable failure) {
        meters.counter("northstar_dead_letter_send_failures", "topic", letter.sourceTopic()).increment();
        LOG.errorf("Could not dead-letter %s-%d@%d (%s); trying again in %d ms", letter.sourceTopic(),
                letter.sourcePartition(), letter.sourceOffset(), failure.toString(), pause.toMillis());
        Duration next = pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause.multipliedBy(2);
        CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> attempt(letter, key, headers, done, next));
    }

    /** Completes once every letter sent before this call is on the dead-letter topic (at once when none waits). */
    public CompletableFuture<Void> flush() {
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(pending.keySet().toArray(CompletableFuture[]::new));
    }

    /** How many letters wait for the topic, and since when the oldest does. */
    public Waiting waiting() {
        return new Waiting(pending.size(), pending.values().stream().min(Instant::compareTo));
    }

    public record Waiting(int letters, java.util.Optional<Instant> oldestSince) {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
