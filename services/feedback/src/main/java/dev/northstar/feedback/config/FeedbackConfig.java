package dev.northstar.feedback.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the feedback service ({@code northstar.feedback.*}). */
@ConfigMapping(prefix = "northstar.feedback")
public interface FeedbackConfig {

    /** How often snapshots of what changed are published. */
    @WithDefault("1s")
    Duration publishInterval();

    /** How often every snapshot is republished. */
    @WithDefault("60s")
    Duration republishInterval();
}
