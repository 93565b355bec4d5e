package dev.northstar.registry;

import dev.northstar.model.project.ProjectEvent;
import dev.northstar.platform.config.KafkaClients;
import dev.northstar.platform.usecase.Refused;
import dev.northstar.testkit.KafkaResource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The key check on the public path: it never holds the thread that asks (an unreachable broker is a
 * 503 within {@link KeyAuthenticator#BROKER_WAIT}, not a blocked event loop), a refused key asked again
 * costs no question to the broker, and failed checks are limited per address while a known key is
 * always let in. (Before: the first check blocked its event loop for up to three 3-s broker calls, and
 * every unknown key asked the broker.)
 */
class KeyAuthenticatorTest {

    private static Refused refusal(CompletableFuture<String> answer) {
        var failure = catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                () -> answer.get(KeyAuthenticator.BROKER_WAIT.toMillis() * 3, TimeUnit.MILLISECONDS));
        assertThat(failure).as("refused").isNotNull();
        assertThat(failure.getCause()).isInstanceOf(Refused.class);
        return (Refused) failure.getCause();
    }

    private static CompletableFuture<String> ask(KeyAuthenticator keys, String key, String from) {
        return keys.project("Bearer " + key, KeyRole.WRITE, from).subscribe().asCompletionStage();
    }

    @Test
    void anUnreachableBrokerIsA503WithinTheWaitAndTheCallerIsNeverHeld() throws Exception {
        int nobody;
        try (var socket = new ServerSocket(0)) {
            nobody = socket.getLocalPort();
        }
        var registry = new ProjectRegistry();
        var known = ProjectKeys.issue(KeyRole.WRITE);
        registry.apply("shop", new ProjectEvent.ProjectRegistered("shop", "Shop", known.hash(),
                ProjectKeys.issue(KeyRole.READ).hash(), Instant.now(), null));
        var catchUp = new RegistryCatchUp(KafkaClients.of(Map.of("bootstrap.servers", "localhost:" + nobody)),
                "projects-" + UUID.randomUUID());
        try {
            var keys = new KeyAuthenticator(registry, catchUp, 1000, 1000);
            for (int i = 0; i < 3; i++) {
                CompletableFuture<String> answer = ask(keys, ProjectKeys.issue(KeyRole.WRITE).key(), "10.0.0.1");
                assertThat(answer).as("the call returned before the broker answered").isNotDone();
                Refused refused = refusal(answer);
                assertThat(refused.reason()).isEqualTo(Refused.Reason.UNAVAILABLE);
                assertThat(refused.retryAfter()).contains(Duration.ofSeconds(1));
            }
            assertThat(ask(keys, known.key(), "10.0.0.1").get(1, TimeUnit.SECONDS))
                    .as("a key this instance knows needs no broker").isEqualTo("shop");
        } finally {
            catchUp.close();
        }
    }

    @Test
    void aRefusedKeyIsRememberedAndFailuresAreLimitedPerAddressButAKnownKeyAlwaysGetsIn() throws Exception {
        String bootstrap = KafkaResource.bootstrapServers();
        String topic = "projects-keys-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        var registry = new ProjectRegistry();
        var known = ProjectKeys.issue(KeyRole.WRITE);
        registry.apply("shop", new ProjectEvent.ProjectRegistered("shop", "Shop", known.hash(),
                ProjectKeys.issue(KeyRole.READ).hash(), Instant.now(), null));
        var catchUp = new RegistryCatchUp(KafkaClients.of(Map.of("bootstrap.servers", bootstrap)), topic);
        try {
            assertThat(catchUp.caughtUpWithin(Duration.ofSeconds(10)).get()).as("an empty topic is read at once").isTrue();
            var keys = new KeyAuthenticator(registry, catchUp, 3, 1);
            String revoked = ProjectKeys.issue(KeyRole.WRITE).key();
            assertThat(refusal(ask(keys, revoked, "10.0.0.1")).reason()).isEqualTo(Refused.Reason.NOT_AUTHENTICATED);
            long asked = catchUp.endLookups();
            assertThat(asked).isEqualTo(1);
            assertThat(refusal(ask(keys, revoked, "10.0.0.2")).reason()).isEqualTo(Refused.Reason.NOT_AUTHENTICATED);
            assertThat(catchUp.endLookups()).as("a key refused a moment ago is refused from memory").isEqualTo(asked);

            assertThat(refusal(ask(keys, ProjectKeys.issue(KeyRole.WRITE).key(), "10.0.0.1")).reason())
                    .isEqualTo(Refused.Reason.NOT_AUTHENTICATED);
            assertThat(refusal(ask(keys, "not-even-a-key", "10.0.0.1")).reason())
                    .isEqualTo(Refused.Reason.NOT_AUTHENTICATED);
            long before = catchUp.endLookups();
            Refused limited = refusal(ask(keys, ProjectKeys.issue(KeyRole.WRITE).key(), "10.0.0.1"));
            assertThat(limited.reason()).as("the fourth failure from one address").isEqualTo(Refused.Reason.RATE_LIMITED);
            assertThat(limited.retryAfter().orElseThrow()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(catchUp.endLookups()).as("a limited address costs no question").isEqualTo(before);

            assertThat(ask(keys, known.key(), "10.0.0.1").get(1, TimeUnit.SECONDS))
                    .as("the right key from the limited address").isEqualTo("shop");
            assertThat(refusal(ask(keys, ProjectKeys.issue(KeyRole.WRITE).key(), "10.0.0.3")).reason())
                    .as("another address").isEqualTo(Refused.Reason.NOT_AUTHENTICATED);
        } finally {
            catchUp.close();
        }
    }
}
