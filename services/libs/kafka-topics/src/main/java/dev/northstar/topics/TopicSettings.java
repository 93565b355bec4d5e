package dev.northstar.topics;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * What a deployment decides about the catalogue's topics (the catalogue, {@code Topics}, declares the
 * rest): how many partitions the keyed topics get, the replication factor and
 * {@code min.insync.replicas} of every topic, and how long the events topic keeps its records.
 *
 * @param partitions        partitions of every keyed topic (the projects topic always has one)
 * @param replicationFactor replicas of every partition: 1 on a laptop, 3 in production
 * @param minInsyncReplicas replicas that must have a write before it is acknowledged ({@code acks=all})
 * @param eventsRetention   how long the events topic keeps records; empty = forever (the catalogue's default)
 */
public record TopicSettings(int partitions, short replicationFactor, int minInsyncReplicas,
                            Optional<Duration> eventsRetention) {

    public static final String PARTITIONS = "NORTHSTAR_TOPIC_PARTITIONS";
    public static final String REPLICATION_FACTOR = "NORTHSTAR_TOPIC_REPLICATION_FACTOR";
    public static final String MIN_INSYNC_REPLICAS = "NORTHSTAR_TOPIC_MIN_INSYNC_REPLICAS";
    public static final String EVENTS_RETENTION = "NORTHSTAR_EVENTS_RETENTION";

    public TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("the replication factor must be at least 1, not " + replicationFactor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor ("
                    + replicationFactor + "), not " + minInsyncReplicas);
        }
        eventsRetention.ifPresent(r -> {
            if (r.isNegative() || r.isZero()) {
                throw new IllegalArgumentException("the events retention must be positive (or forever), not " + r);
            }
        });
    }

    /** One broker: replication factor 1, the catalogue's partitions, events kept forever. */
    public static TopicSettings singleBroker() {
        return new TopicSettings(dev.northstar.model.topic.Topics.DEFAULT_PARTITIONS, (short) 1, 1, Optional.empty());
    }

    /**
     * {@code min.insync.replicas} that survives one broker down while still needing two copies of
     * every acknowledged write: 2 with three or more replicas, else 1.
     */
    public static int defaultMinInsyncReplicas(short replicationFactor) {
        return replicationFactor >= 3 ? 2 : 1;
    }

    /**
     * Read from environment variables ({@value #PARTITIONS}, {@value #REPLICATION_FACTOR},
     * {@value #MIN_INSYNC_REPLICAS}, {@value #EVENTS_RETENTION} as an ISO-8601 duration such as
     * {@code P400D}, or {@code forever}); unset ones take the single-broker defaults.
     */
    public static TopicSettings fromEnvironment(Map<String, String> env) {
        TopicSettings defaults = singleBroker();
        int partitions = integer(env, PARTITIONS, defaults.partitions());
        short replicas = (short) integer(env, REPLICATION_FACTOR, defaults.replicationFactor());
        int minIsr = integer(env, MIN_INSYNC_REPLICAS, defaultMinInsyncReplicas(replicas));
        return new TopicSettings(partitions, replicas, minIsr, retention(env.get(EVENTS_RETENTION)));
    }

    /** {@code forever}, {@code -1} or empty: forever; else an ISO-8601 duration ({@code P400D}, {@code PT12H}). */
    public static Optional<Duration> retention(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("forever") || value.equals("-1")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.parse(value.trim()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(EVENTS_RETENTION + " must be 'forever' or an ISO-8601 duration such as "
                    + "P400D, not '" + value + "'");
        }
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }
}
