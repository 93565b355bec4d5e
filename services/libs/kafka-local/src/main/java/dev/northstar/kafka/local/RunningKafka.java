package dev.northstar.kafka.local;

/** A Kafka broker this process started, whichever way. */
public interface RunningKafka extends AutoCloseable {

    /** The {@code bootstrap.servers} value clients use. */
    String bootstrapServers();

    /** Stops the broker (a controlled shutdown). */
    @Override
    void close();
}
