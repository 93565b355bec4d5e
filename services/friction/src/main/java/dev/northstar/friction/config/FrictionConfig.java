package dev.northstar.friction.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the friction service ({@code northstar.friction.*}). */
@ConfigMapping(prefix = "northstar.friction")
public interface FrictionConfig {

    /** How often snapshots of what changed are published. */
    @WithDefault("1s")
    Duration publishInterval();

    /** How often every snapshot is republished, so the 28-day failure window slides even without new events. */
    @WithDefault("60s")
    Duration republishInterval();
}
