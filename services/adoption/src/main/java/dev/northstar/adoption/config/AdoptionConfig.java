package dev.northstar.adoption.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the adoption service ({@code northstar.adoption.*}). */
@ConfigMapping(prefix = "northstar.adoption")
public interface AdoptionConfig {

    /** How often snapshots of what changed are published. */
    @WithDefault("1s")
    Duration publishInterval();

    /** How often every snapshot is republished, so 7- and 28-day windows slide even without new events. */
    @WithDefault("60s")
    Duration republishInterval();
}
