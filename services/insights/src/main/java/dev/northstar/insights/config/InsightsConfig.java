package dev.northstar.insights.config;

import dev.northstar.insights.domain.RecommendationThresholds;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Settings of the insights service ({@code northstar.insights.*}). The recommendation thresholds
 * can be changed without code, for example {@code NORTHSTAR_INSIGHTS_RULES_EXPAND_MIN_ADOPTION=0.4}.
 * Fractions, not percentages: 0.05 is 5%.
 */
@ConfigMapping(prefix = "northstar.insights")
public interface InsightsConfig {

    /** How often insights of features whose signals changed are published. */
    @WithDefault("1s")
    Duration publishInterval();

    /** How often every insight is re-evaluated and republished (feature age moves with time). */
    @WithDefault("60s")
    Duration republishInterval();

    /** The recommendation rules' thresholds. */
    Rules rules();

    interface Rules {
        Sunset sunset();

        Improve improve();

        Expand expand();

        default RecommendationThresholds thresholds() {
            return new RecommendationThresholds(
                    sunset().belowAdoption(), sunset().minAge(), sunset().minActiveUsers(),
                    improve().minAdoption(), improve().failureRate(), improve().belowRating(),
                    improve().minRatings(),
                    expand().minAdoption(), expand().belowFailureRate(), expand().minRating(),
                    sunset().holdOnRise(), expand().holdOnFall());
        }
    }

    /**
     * sunset: adoption below this, first seen at least min-age ago, at least min-active-users (28 days);
     * held (watch) while the users of the last 7 days rose at least hold-on-rise over the 7 before.
     */
    interface Sunset {
        @WithDefault("0.5")
        double holdOnRise();

        @WithDefault("0.05")
        double belowAdoption();

        @WithDefault("14d")
        Duration minAge();

        @WithDefault("20")
        long minActiveUsers();
    }

    /** improve: adoption at least this, and failure rate at least this or rating below this over min-ratings. */
    interface Improve {
        @WithDefault("0.05")
        double minAdoption();

        @WithDefault("0.10")
        double failureRate();

        @WithDefault("3.0")
        double belowRating();

        @WithDefault("5")
        long minRatings();
    }

    /**
     * expand: adoption at least this, failure rate below this, and rating at least this or no ratings;
     * held (watch) while the users of the last 7 days fell at least hold-on-fall from the 7 before.
     */
    interface Expand {
        @WithDefault("0.3")
        double holdOnFall();

        @WithDefault("0.30")
        double minAdoption();

        @WithDefault("0.05")
        double belowFailureRate();

        @WithDefault("4.0")
        double minRating();
    }
}
