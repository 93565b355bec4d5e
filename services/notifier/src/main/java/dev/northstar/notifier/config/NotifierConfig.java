package dev.northstar.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the notifier ({@code northstar.notifier.*}), for example
 * {@code NORTHSTAR_NOTIFIER_ALLOWED_NETWORKS=10.0.0.0/8}.
 */
@ConfigMapping(prefix = "northstar.notifier")
public interface NotifierConfig {

    /** The token of the admin API (the same as ingest's). */
    String adminToken();

    /**
     * The key webhook signing secrets are sealed with on the webhooks topic: 32 bytes in base64
     * ({@code NORTHSTAR_WEBHOOK_SECRETS_KEY}; the notifier refuses to start without a valid one).
     */
    String secretsKey();

    /** Failed admin authentications allowed per client address. */
    AdminFailures adminFailures();

    /**
     * Networks (CIDR, {@code 10.0.0.0/8}, {@code 127.0.0.1/32}, {@code ::1/128}) a webhook may point into
     * although they are loopback, link-local or private: none by default (an operator's allow-list).
     */
    Optional<List<String>> allowedNetworks();

    /**
     * How long a changed recommendation must keep being published before it counts as a change (and
     * alerts): a call that flips back within it (a feature at a threshold, two insights instances a
     * second apart) is no change. Zero counts every change at once.
     */
    @WithDefault("90s")
    Duration settle();

    /** How deliveries are retried. */
    Retry retry();

    /** How long a receiver has to answer one delivery. */
    @WithDefault("10s")
    Duration timeout();

    /** Deliveries attempted at once per instance. */
    @WithDefault("8")
    int concurrentDeliveries();

    interface Retry {
        /** Wait before the second attempt; each next wait doubles, with jitter (50 to 100 % of it). */
        @WithDefault("30s")
        Duration initial();

        /** The longest wait between two attempts. */
        @WithDefault("1h")
        Duration maxInterval();

        /** After this long since the alert, a delivery that never succeeded is given up. */
        @WithDefault("24h")
        Duration giveUpAfter();
    }

    interface AdminFailures {
        @WithDefault("10")
        int burst();

        @WithDefault("10")
        double perMinute();
    }
}
