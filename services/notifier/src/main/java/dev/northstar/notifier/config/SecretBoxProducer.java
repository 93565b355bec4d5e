package dev.northstar.notifier.config;

import dev.northstar.notifier.domain.SecretBox;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The key webhook secrets are sealed with, from the configuration; a missing or malformed key stops the start. */
public class SecretBoxProducer {

    @Produces
    @Singleton
    SecretBox secretBox(NotifierConfig config) {
        return SecretBox.of(config.secretsKey());
    }

    /** Made at start, so a bad key fails the start with its message instead of the first delivery. */
    void check(@Observes StartupEvent started, SecretBox box) {
        box.keyId();
    }
}
