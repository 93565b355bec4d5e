package dev.northstar.ingest.config;

import dev.northstar.platform.admin.AdminGuard;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Ingest's admin guard: its admin token and the failures allowed per address. */
public class AdminGuardProducer {

    @Produces
    @Singleton
    AdminGuard adminGuard(IngestConfig config) {
        return new AdminGuard(config.adminToken(), config.adminFailures().burst(), config.adminFailures().perMinute());
    }
}
