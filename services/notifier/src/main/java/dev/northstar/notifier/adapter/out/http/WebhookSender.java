package dev.northstar.notifier.adapter.out.http;

import dev.northstar.model.notify.Webhook;
import dev.northstar.model.notify.WebhookDelivery;
import dev.northstar.notifier.config.NotifierConfig;
import dev.northstar.notifier.domain.Signature;
import dev.northstar.notifier.domain.WebhookAddress;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One attempt to deliver an alert to a webhook: the stored body, POSTed with its idempotency id and a
 * fresh signature, no redirect followed. The address is checked again first, on a thread of its own
 * (the lookup never holds the alert loop), and the request connects to the address checked, never to
 * a second lookup's (a name that resolves to a public address for the check and to an internal one
 * for the connection gets nowhere); TLS still verifies the URL's host. The whole attempt, from connect
 * to the answer's last byte, has one deadline: a receiver that sends its headers and drips the body
 * loses the connection when it passes. An attempt that failed says which kind of failure it was, in
 * words of our own, never the receiver's or the network stack's text (which would tell a caller what
 * listens where).
 */
@ApplicationScoped
public class WebhookSender {

    /** The delivery's id, the same on every attempt: receivers drop what they have seen. */
    public static final String DELIVERY_ID = "Northstar-Delivery-Id";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String EVENT = "Northstar-Event";
    public static final String WEBHOOK_ID = "Northstar-Webhook-Id";

    /** The failures an attempt reports. */
    static final String TIMED_OUT = "no whole answer within the deadline";
    static final String NO_CONNECTION = "could not connect";
    static final String TLS = "TLS handshake failed";
    static final String CLOSED = "connection closed before the whole answer";
    static final String FAILED = "delivery failed";

    private final Duration deadline;
    private final WebhookAddress addresses;
    private final Clock clock;
    private final Vertx vertx;
    private final dev.northstar.notifier.domain.SecretBox secrets;
    private final HttpClient client;
    private final ExecutorService lookups = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-lookup");
        t.setDaemon(true);
        return t;
    });

    /** How long after a rotation deliveries are signed with the previous secret too. */
    static final Duration PREVIOUS_SECRET_FOR = Duration.ofHours(24);

    public WebhookSender(NotifierConfig config, WebhookAddress addresses, Clock clock, Vertx vertx,
                         dev.northstar.notifier.domain.SecretBox secrets) {
        this.secrets = secrets;
        this.deadline = config.timeout();
        this.addresses = addresses;
        this.clock = clock;
        this.vertx = vertx;
        int millis = (int) Math.min(Integer.MAX_VALUE, deadline.toMillis());
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(millis)
                .setVerifyHost(true)
                .setKeepAlive(false)
                .setMaxRedirects(0)
                .setMaxPoolSize(Math.max(1, config.concurrentDeliveries()))
                .setName("webhooks"));
    }

    /** Attempts {@code delivery} to {@code webhook}; never fails: a failure is an attempt with its error. */
    public CompletableFuture<WebhookDelivery.Attempt> send(Webhook webhook, WebhookDelivery delivery) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        String context = dev.northstar.model.topic.Topics.webhookKey(webhook.projectId(), webhook.id());
        var secret = secrets.open(webhook.secret(), context);
        if (secret.isEmpty()) {
            return CompletableFuture.completedFuture(new WebhookDelivery.Attempt(started, 0, "refused: the webhook's "
                    + "secret was sealed with another key (" + dev.northstar.notifier.domain.SecretBox.keyIdOf(webhook.secret())
                    .orElse("?") + "; this notifier's is " + secrets.keyId() + "): set NORTHSTAR_WEBHOOK_SECRETS_KEY "
                    + "to that key, or rotate the webhook's secret", 0));
        }
        var signing = new java.util.ArrayList<String>(List.of(secret.get()));
        if (webhook.secretRotatedAt() != null && started.isBefore(webhook.secretRotatedAt().plus(PREVIOUS_SECRET_FOR))) {
            secrets.open(webhook.previousSecret(), context).ifPresent(signing::add);
        }
        return CompletableFuture.supplyAsync(() -> addresses.check(webhook.url()), lookups)
                .exceptionally(failure -> WebhookAddress.Checked.refused("url's host could not be looked up"))
                .thenCompose(checked -> checked.problem().isPresent()
                        ? CompletableFuture.completedFuture(new WebhookDelivery.Attempt(started, 0,
                                "refused: " + checked.problem().get(), 0))
                        : post(checked, webhook, signing, delivery, started, t0));
    }

    private CompletableFuture<WebhookDelivery.Attempt> post(WebhookAddress.Checked checked, Webhook webhook,
                                                          List<String> signing, WebhookDelivery delivery,
                                                          Instant started, long t0) {
        URI uri = checked.uri();
        boolean https = "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        var options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(checked.addresses().get(0), port)))
                .setHost(host)
                .setPort(port)
                .setSsl(https)
                .setURI(path)
                .setFollowRedirects(false)
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "Northstar-Notifier/1")
                .putHeader(DELIVERY_ID, delivery.id())
                .putHeader(IDEMPOTENCY_KEY, delivery.id())
                .putHeader(EVENT, delivery.type().wireName())
                .putHeader(WEBHOOK_ID, webhook.id())
                .putHeader(Signature.HEADER, Signature.header(signing, started.getEpochSecond(), delivery.body()));

        var attempt = new CompletableFuture<WebhookDelivery.Attempt>();
        AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), id -> {
            if (attempt.complete(new WebhookDelivery.Attempt(started, 0, TIMED_OUT + " (" + deadline.toMillis()
                    + " ms)", millisSince(t0)))) {
                HttpClientRequest open = request.get();
                if (open != null) {
                    open.reset(); // closes the connection: the slot is free whatever the receiver does
                }
            }
        });
        client.request(options)
                .compose(req -> {
                    request.set(req);
                    if (attempt.isDone()) {
                        req.reset();
                    }
                    return req.send(Buffer.buffer(delivery.body()));
                })
                .compose(response -> {
                    response.handler(ignored -> { }); // the body is read and dropped, up to the deadline
                    return response.end().map(done -> response.statusCode());
                })
                .onComplete(result -> {
                    vertx.cancelTimer(timer);
                    if (result.succeeded()) {
                        int status = result.result();
                        attempt.complete(new WebhookDelivery.Attempt(started, status,
                                status >= 200 && status < 300 ? null : "answered " + status, millisSince(t0)));
                    } else {
                        attempt.complete(new WebhookDelivery.Attempt(started, 0, kind(result.cause()), millisSince(t0)));
                    }
                });
        return attempt;
    }

    /** Which kind of failure, in our words (never the exception's text). */
    static String kind(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return TLS;
            }
            if (t instanceof ConnectException || t instanceof io.netty.channel.ConnectTimeoutException
                    || t instanceof java.net.NoRouteToHostException) {
                return NO_CONNECTION;
            }
            if (t instanceof io.vertx.core.http.HttpClosedException
                    || t instanceof java.nio.channels.ClosedChannelException) {
                return CLOSED;
            }
            if (t instanceof io.vertx.core.http.StreamResetException) {
                return TIMED_OUT;
            }
        }
        return FAILED;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @PreDestroy
    public void close() {
        client.close();
        lookups.shutdownNow();
    }
}
