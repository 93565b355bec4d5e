package dev.northstar.notifier.adapter.out.http;

import dev.northstar.model.notify.AlertType;
import dev.northstar.model.notify.Webhook;
import dev.northstar.model.notify.WebhookDelivery;
import dev.northstar.notifier.config.NotifierConfig;
import dev.northstar.notifier.domain.SecretBox;
import dev.northstar.notifier.domain.WebhookAddress;
import dev.northstar.testkit.WebhookReceiver;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One delivery attempt against real receivers: a receiver that drips its answer loses the connection
 * at the attempt's deadline; failures are reported by kind, never by the network stack's text; the
 * request goes to the address that was checked, whatever a second lookup would say. (Before: the
 * timeout covered only the headers, so a dripping receiver held a delivery slot for as long as it
 * liked; an attempt's error carried the exception's text, "Connection refused" and all; and the
 * connection looked the name up again after the check.)
 */
class WebhookSenderTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static NotifierConfig config(Duration timeout) {
        return (NotifierConfig) Proxy.newProxyInstance(NotifierConfig.class.getClassLoader(),
                new Class<?>[] {NotifierConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "timeout" -> timeout;
                    case "concurrentDeliveries" -> 4;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static final SecretBox KEY = SecretBox.of(java.util.Base64.getEncoder().encodeToString(new byte[32]));

    private static WebhookSender sender(Duration timeout, WebhookAddress.Resolver resolver) {
        return new WebhookSender(config(timeout), new WebhookAddress(List.of("127.0.0.1/32"), resolver),
                Clock.systemUTC(), vertx, KEY);
    }

    private static WebhookDelivery.Attempt attempt(WebhookSender sender, String url) throws Exception {
        var webhook = new Webhook("wh_1", "shop", url, List.of(AlertType.FAILURE_SPIKE), KEY.seal("whsec_x", "shop/wh_1"),
                Instant.now());
        return attempt(sender, webhook);
    }

    private static WebhookDelivery.Attempt attempt(WebhookSender sender, Webhook webhook) throws Exception {
        var delivery = new WebhookDelivery("al_1", "wh_1", "shop", "export", AlertType.FAILURE_SPIKE,
                WebhookDelivery.Status.PENDING, Instant.now(), Instant.now(), 0, List.of(), "{\"a\":1}");
        return sender.send(webhook, delivery).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReceiverThatDripsItsAnswerLosesTheConnectionAtTheDeadline() throws Exception {
        try (var dripping = new WebhookReceiver(n -> WebhookReceiver.DRIP)) {
            var sender = sender(Duration.ofSeconds(1), InetAddress::getAllByName);
            var attempt = attempt(sender, dripping.url("/hook"));
            assertThat(attempt.status()).isZero();
            assertThat(attempt.error()).isEqualTo(WebhookSender.TIMED_OUT + " (1000 ms)");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(dripping.hungUp()).as("the connection is closed, the slot free").isEqualTo(1));
            sender.close();
        }
    }

    @Test
    void failuresAreReportedByTheirKindNeverByTheirText() throws Exception {
        int closed;
        try (var socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        var sender = sender(Duration.ofSeconds(2), InetAddress::getAllByName);
        assertThat(attempt(sender, "http://127.0.0.1:" + closed + "/hook").error())
                .isEqualTo(WebhookSender.NO_CONNECTION);
        try (var failing = new WebhookReceiver(n -> 500); var fine = new WebhookReceiver(n -> 204)) {
            assertThat(attempt(sender, failing.url("/hook")).error()).isEqualTo("answered 500");
            var ok = attempt(sender, fine.url("/hook"));
            assertThat(ok.status()).isEqualTo(204);
            assertThat(ok.error()).isNull();
            assertThat(fine.received().get(0).body()).isEqualTo("{\"a\":1}");
        }
        sender.close();
    }

    @Test
    void theRequestGoesToTheAddressThatWasCheckedNeverToASecondLookup() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        // A rebinding name: the loopback address (allowed here) for the check, an internal one after.
        WebhookAddress.Resolver rebinding = host -> {
            if (!host.equals("hooks.rebind.test")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "10.9.9.9")};
        };
        try (var receiver = new WebhookReceiver(n -> 200)) {
            int port = Integer.parseInt(receiver.url("").replaceAll(".*:", ""));
            var sender = sender(Duration.ofSeconds(2), rebinding);
            var attempt = attempt(sender, "http://hooks.rebind.test:" + port + "/hook");
            assertThat(attempt.error()).as("delivered to the address checked (the system resolver does not know "
                    + "the name at all)").isNull();
            assertThat(lookups).as("one lookup per attempt").hasValue(1);
            assertThat(receiver.received()).singleElement()
                    .satisfies(r -> assertThat(r.header("Host")).isEqualTo("hooks.rebind.test:" + port));
            sender.close();
        }
    }

    /**
     * A secret sealed for another webhook, or with another key, does not open: the attempt is refused
     * saying which key it needs, and nothing is sent unsigned or signed with garbage.
     */
    @Test
    void aSecretSealedForAnotherWebhookOrWithAnotherKeyIsNeverUsed() throws Exception {
        try (var receiver = new WebhookReceiver(n -> 200)) {
            var sender = sender(Duration.ofSeconds(2), InetAddress::getAllByName);
            var copied = new Webhook("wh_1", "shop", receiver.url("/hook"), List.of(AlertType.FAILURE_SPIKE),
                    KEY.seal("whsec_x", "shop/wh_other"), Instant.now());
            assertThat(attempt(sender, copied).error()).startsWith("refused: the webhook's secret was sealed with another key");
            var otherKey = SecretBox.of(java.util.Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes()));
            var foreign = new Webhook("wh_1", "shop", receiver.url("/hook"), List.of(AlertType.FAILURE_SPIKE),
                    otherKey.seal("whsec_x", "shop/wh_1"), Instant.now());
            assertThat(attempt(sender, foreign).error()).contains("(" + otherKey.keyId() + "; this notifier's is " + KEY.keyId());
            assertThat(receiver.received()).isEmpty();
            var legacy = new Webhook("wh_1", "shop", receiver.url("/hook"), List.of(AlertType.FAILURE_SPIKE),
                    "whsec_plain", Instant.now());
            assertThat(attempt(sender, legacy).error()).as("a secret written before sealing").isNull();
            assertThat(receiver.received()).singleElement().satisfies(r -> assertThat(r.header("Northstar-Signature"))
                    .matches("t=\\d+,v1=[0-9a-f]{64}"));
            sender.close();
        }
    }
}
