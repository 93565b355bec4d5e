package dev.northstar.topics;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * What a service needs of one topic it uses, checked at its start ({@link TopicAdmin#check}): that it
 * exists, that it is kept the way the catalogue declares ({@code cleanup.policy}), and, for a topic
 * it rebuilds its state from, that it keeps its records long enough.
 *
 * @param topic         the topic's name
 * @param cleanupPolicy the {@code cleanup.policy} it must have; empty: any
 * @param minRetention  how long it must keep records ({@link #FOREVER}: {@code retention.ms=-1}); empty: any
 * @param why           who needs it and for what, for the message when it is not so
 */
public record TopicNeed(String topic, Optional<String> cleanupPolicy, Optional<Duration> minRetention, String why) {

    /** Records kept forever: {@code retention.ms=-1} and {@code retention.bytes=-1}. */
    public static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    public TopicNeed {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        Objects.requireNonNull(minRetention, "minRetention");
        Objects.requireNonNull(why, "why");
    }

    /** The topic exists (any settings). */
    public static TopicNeed exists(String topic, String why) {
        return new TopicNeed(topic, Optional.empty(), Optional.empty(), why);
    }

    /** The topic exists with this {@code cleanup.policy}. */
    public static TopicNeed cleanup(String topic, String cleanupPolicy, String why) {
        return new TopicNeed(topic, Optional.of(cleanupPolicy), Optional.empty(), why);
    }

    /** The same, and its records are kept at least {@code minRetention} ({@link #FOREVER} for ever). */
    public TopicNeed keptAtLeast(Duration minRetention, String why) {
        return new TopicNeed(topic, cleanupPolicy, Optional.of(minRetention), this.why + "; " + why);
    }

    static String describe(Duration retention) {
        if (retention.equals(FOREVER)) {
            return "forever";
        }
        long days = retention.toDays();
        return days > 0 && retention.equals(Duration.ofDays(days)) ? days + " days" : retention.toString();
    }
}
