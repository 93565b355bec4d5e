package dev.northstar.notifier.adapter.out.http;

import dev.northstar.model.notify.Webhook;
import dev.northstar.model.notify.WebhookDelivery;
import dev.northstar.notifier.config.NotifierConfig;
import dev.northstar.notifier.domain.Signature;
import dev.northstar.notifier.domain.WebhookAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One attempt to deliver an alert to a webhook: the stored body, POSTed with its idempotency id and a
 * fresh signature, no redirect followed, an answer within the configured timeout. The address is
 * checked again first (a name may resolve elsewhere since the webhook was created).
 */
@ApplicationScoped
public class WebhookSender {

    /** The delivery's id, the same on every attempt: receivers drop what they have seen. */
    public static final String DELIVERY_ID = "Northstar-Delivery-Id";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String EVENT = "Northstar-Event";
    public static final String WEBHOOK_ID = "Northstar-Webhook-Id";

    private final Duration timeout;
    private final WebhookAddress addresses;
    private final Clock clock;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-sender");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client;

    public WebhookSender(NotifierConfig config, WebhookAddress addresses, Clock clock) {
        this.timeout = config.timeout();
        this.addresses = addresses;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor).build();
    }

    /** Attempts {@code delivery} to {@code webhook}; never fails: a failure is an attempt with its error. */
    public CompletableFuture<WebhookDelivery.Attempt> send(Webhook webhook, WebhookDelivery delivery) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        var problem = addresses.problem(webhook.url());
        if (problem.isPresent()) {
            return CompletableFuture.completedFuture(new WebhookDelivery.Attempt(started, 0,
                    "refused: " + problem.get(), 0));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhook.url())).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Northstar-Notifier/1")
                .header(DELIVERY_ID, delivery.id())
                .header(IDEMPOTENCY_KEY, delivery.id())
                .header(EVENT, delivery.type().wireName())
                .header(WEBHOOK_ID, webhook.id())
                .header(Signature.HEADER, Signature.header(webhook.secret(), started.getEpochSecond(), delivery.body()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (failure != null) {
                return new WebhookDelivery.Attempt(started, 0, describe(failure), millis);
            }
            int status = response.statusCode();
            return new WebhookDelivery.Attempt(started, status,
                    status >= 200 && status < 300 ? null : "answered " + status, millis);
        });
    }

    private String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        String message = cause.getMessage();
        return "could not deliver: " + cause.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
