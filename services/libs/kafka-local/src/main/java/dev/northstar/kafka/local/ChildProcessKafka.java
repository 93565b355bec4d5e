package dev.northstar.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker (KRaft combined mode) as a child JVM running {@code kafka.Kafka},
 * with its data under a data directory that survives restarts: the broker of the local run.
 * Its own log goes to {@code <dataDir>/broker.log}.
 */
public final class ChildProcessKafka implements RunningKafka {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final BrokerConfig config;
    private final Process process;

    private ChildProcessKafka(BrokerConfig config, Process process) {
        this.config = config;
        this.process = process;
    }

    /**
     * Formats the data directory if needed, starts the broker and waits until it answers.
     *
     * @param classPath a class path holding kafka_2.13 and a log4j2 binding (usually this JVM's)
     */
    public static ChildProcessKafka start(BrokerConfig config, String classPath) {
        ChildProcessKafka kafka = launch(config, classPath, "-Xmx512m");
        kafka.awaitReady();
        return kafka;
    }

    /**
     * Starts every node of a cluster (each needs the others' controllers for a quorum, so all are
     * launched before any is awaited) and waits until each answers.
     */
    public static List<ChildProcessKafka> startCluster(List<BrokerConfig> nodes, String classPath) {
        List<ChildProcessKafka> started = new ArrayList<>();
        for (BrokerConfig node : nodes) {
            started.add(launch(node, classPath, "-Xmx384m"));
        }
        try {
            started.forEach(ChildProcessKafka::awaitReady);
        } catch (RuntimeException e) {
            started.forEach(ChildProcessKafka::close);
            throw e;
        }
        return started;
    }

    private static ChildProcessKafka launch(BrokerConfig config, String classPath, String heap) {
        StorageFormatter.format(config);
        Path log4j = writeLogConfig(config.dataDir());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap.replace("-Xmx", "-Xms"));
        command.add(heap);
        // What Kafka's own start script (kafka-run-class.sh, KAFKA_JVM_PERFORMANCE_OPTS) runs a broker with:
        // short G1 pauses, so a collection does not sit in every producer's acknowledgement time.
        command.addAll(List.of("-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true"));
        command.add("-Dlog4j2.configurationFile=" + log4j.toUri());
        command.add("-cp");
        command.add(classPath);
        command.add("kafka.Kafka");
        command.add(config.propertiesFile().toString());
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(config.dataDir().resolve("broker.log").toFile()))
                    .start();
            return new ChildProcessKafka(config, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
                        + "; see " + config.dataDir().resolve("broker.log"));
            }
            if (KafkaTopics.isReachable(config.adminClientSettings(), Duration.ofSeconds(2))) {
                return;
            }
        }
        close();
        throw new IllegalStateException("Kafka broker not ready after " + READY_TIMEOUT.toSeconds() + " s; see "
                + config.dataDir().resolve("broker.log"));
    }

    private static Path writeLogConfig(Path dataDir) {
        Path file = dataDir.resolve("log4j2.properties");
        String text = String.join("\n",
                "status = warn",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n",
                "rootLogger.level = warn",
                "rootLogger.appenderRef.console.ref = console",
                "logger.started.name = kafka.server.KafkaRaftServer",
                "logger.started.level = info",
                "");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash would: no controlled shutdown, leadership moves after the session times out. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public BrokerConfig config() {
        return config;
    }

    /** SIGTERM: the broker shuts down in a controlled way; forced after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
