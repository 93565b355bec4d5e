package dev.northstar.notifier.config;

import dev.northstar.platform.admin.AdminGuard;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The notifier's admin guard: the admin token and the failures allowed per address. */
public class AdminGuardProducer {

    @Produces
    @Singleton
    AdminGuard adminGuard(NotifierConfig config) {
        return new AdminGuard(config.adminToken(), config.adminFailures().burst(), config.adminFailures().perMinute());
    }
}
