package dev.northstar.notifier.adapter.out.messaging;

import dev.northstar.model.notify.Webhook;
import dev.northstar.notifier.application.Webhooks;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;

/** Writes webhook changes to the compacted webhooks topic (channel {@code webhook-changes}). */
@ApplicationScoped
class KafkaWebhookPublisher implements Webhooks.Publisher {

    private final MutinyEmitter<Webhook> emitter;

    KafkaWebhookPublisher(@Channel("webhook-changes") MutinyEmitter<Webhook> emitter) {
        this.emitter = emitter;
    }

    @Override
    public long publish(String key, Webhook webhook) {
        var written = new OutgoingMessageMetadata<RecordMetadata>();
        emitter.sendMessage(Message.of(webhook)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                        .addMetadata(written))
                .await().atMost(Duration.ofSeconds(30));
        return written.getResult().offset();
    }
}
