package dev.northstar.notifier.application;

import dev.northstar.model.notify.WebhookDelivery;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest state of each webhook's deliveries, read from the deliveries topic (every instance reads
 * it whole, committed records only): what {@code GET .../webhooks/{id}/deliveries} answers. At most
 * {@value #KEPT_PER_WEBHOOK} per webhook are kept here (the newest); the topic keeps a month.
 */
@ApplicationScoped
public class DeliveryLog {

    public static final int KEPT_PER_WEBHOOK = 200;

    private final Map<String, Map<String, WebhookDelivery>> byWebhook = new ConcurrentHashMap<>();

    public void apply(WebhookDelivery delivery) {
        var deliveries = byWebhook.computeIfAbsent(delivery.webhookId(), w -> new LinkedHashMap<>());
        synchronized (deliveries) {
            deliveries.put(delivery.id(), delivery);
            if (deliveries.size() > KEPT_PER_WEBHOOK) {
                deliveries.values().stream().min(Comparator.comparing(WebhookDelivery::createdAt))
                        .ifPresent(oldest -> deliveries.remove(oldest.id()));
            }
        }
    }

    /** A webhook's deliveries, newest first. */
    public List<WebhookDelivery> of(String webhookId) {
        var deliveries = byWebhook.get(webhookId);
        if (deliveries == null) {
            return List.of();
        }
        synchronized (deliveries) {
            return deliveries.values().stream()
                    .sorted(Comparator.comparing(WebhookDelivery::createdAt).reversed()
                            .thenComparing(WebhookDelivery::id)).toList();
        }
    }
}
