package dev.northstar.notifier.adapter.in.messaging;

import dev.northstar.model.notify.Webhook;
import dev.northstar.model.notify.WebhookDelivery;
import dev.northstar.notifier.application.DeliveryLog;
import dev.northstar.notifier.application.WebhookDirectory;
import dev.northstar.platform.messaging.IncomingRecords;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Reads the webhooks and the delivery log whole into this instance (its own groups, from the earliest offset). */
@ApplicationScoped
class NotifierListeners {

    private final IncomingRecords records;
    private final WebhookDirectory directory;
    private final DeliveryLog log;

    NotifierListeners(IncomingRecords records, WebhookDirectory directory, DeliveryLog log) {
        this.records = records;
        this.directory = directory;
        this.log = log;
    }

    @Incoming("webhooks")
    void onWebhook(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            directory.apply(record, null);
        } else {
            // one that cannot be read is dead-lettered, and changes nothing
            records.value(record, Webhook.class).ifPresentOrElse(w -> directory.apply(record, w),
                    () -> directory.skipped(record));
        }
    }

    @Incoming("webhook-deliveries")
    void onDelivery(ConsumerRecord<String, byte[]> record) {
        records.value(record, WebhookDelivery.class).ifPresent(log::apply);
    }
}
