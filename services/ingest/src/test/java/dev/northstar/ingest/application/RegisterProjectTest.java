package dev.northstar.ingest.application;

import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.model.project.ProjectEvent;
import dev.northstar.platform.config.KafkaClients;
import dev.northstar.platform.usecase.Refused;
import dev.northstar.registry.ProjectRegistry;
import dev.northstar.registry.RegistryCatchUp;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An instance that has not read the whole registry yet cannot know whether an id is free. */
class RegisterProjectTest {

    private static final Duration RETRY = Duration.ofSeconds(2);

    @Test
    void anInstanceStillLoadingTheRegistryAnswersRetryLaterAndPublishesNothing() {
        // No broker at this address: the registry can never be loaded here.
        RegistryCatchUp loading = new RegistryCatchUp(KafkaClients.of(java.util.Map.of("bootstrap.servers", "localhost:1")));
        ProjectPublisher publisher = new ProjectPublisher() {
            @Override
            public Uni<Long> publish(String key, ProjectEvent event) {
                throw new AssertionError("nothing may be published before the registry is loaded");
            }

            @Override
            public Uni<Long> retract(String key) {
                throw new AssertionError("nothing may be published before the registry is loaded");
            }
        };
        IngestConfig config = (IngestConfig) Proxy.newProxyInstance(IngestConfig.class.getClassLoader(),
                new Class<?>[] {IngestConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "retryAfter" -> RETRY;
                    case "deliveryTimeout" -> Duration.ofSeconds(1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        var register = new RegisterProject(new ProjectRegistry(), loading, publisher, config, Clock.systemUTC());

        assertThatThrownBy(() -> register.register("shop", "Shop").await().atMost(Duration.ofSeconds(5))).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(Refused.Reason.UNAVAILABLE);
            assertThat(refused.retryAfter()).contains(RETRY);
            assertThat(refused.getMessage()).contains("still loading");
        });
        assertThatThrownBy(() -> register.rotateKeys("shop").await().atMost(Duration.ofSeconds(5))).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(Refused.Reason.UNAVAILABLE));
    }
}
