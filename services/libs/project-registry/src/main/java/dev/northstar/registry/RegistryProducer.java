package dev.northstar.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One registry per service instance, filled by that service's projects listener. */
@ApplicationScoped
public class RegistryProducer {

    @Produces
    @Singleton
    ProjectRegistry registry() {
        return new ProjectRegistry();
    }
}
