package dev.northstar.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Northstar service running as its packaged fast-jar in a child JVM, its output in
 * {@code <logDir>/<name>.log}. Can be stopped cleanly (SIGTERM), killed (SIGKILL) and started again.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final int port;
    private final int managementPort;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    /**
     * @param port           the public HTTP port (the API, the dashboard)
     * @param managementPort the management port ({@code /q/*}: health, metrics, OpenAPI), set as
     *                       {@code QUARKUS_MANAGEMENT_PORT}
     */
    ServiceProcess(String name, Path jar, int port, int managementPort, Map<String, String> environment, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.managementPort = managementPort;
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        this.environment = Map.copyOf(env);
        this.log = logDir.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    /** {@code path} on this service: {@code /q/*} on its management port, everything else on its public port. */
    public URI uri(String path) {
        return URI.create("http://localhost:" + (path.startsWith("/q/") ? managementPort : port) + path);
    }

    public Path log() {
        return log;
    }

    /** Starts the JVM (without waiting for readiness). */
    public synchronized void start() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No packaged " + name + " service at " + jar
                    + ": build first with mvn -DskipTests package");
        }
        // NORTHSTAR_JAVA_OPTS in the service's environment replaces the default JVM options.
        String javaOptions = environment.getOrDefault("NORTHSTAR_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(javaOptions.trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until {@code /q/health/ready} answers 200 (a signal service: once it has read its input
     * up to where it ended); fails early when the process exits.
     */
    public void awaitReady(Duration timeout) {
        awaitHealth("/q/health/ready", "ready", timeout);
    }

    /** Waits until {@code /q/health/live} answers 200: the application has started. */
    public void awaitStarted(Duration timeout) {
        awaitHealth("/q/health/live", "started", timeout);
    }

    private void awaitHealth(String path, String what, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
            pause();
        }
        throw new IllegalStateException(name + " not " + what + " after " + timeout.toSeconds() + " s: "
                + downChecks(path) + "; " + lastWarning());
    }

    /** The health checks {@code path} answers DOWN, each with its data ("signals loaded {still reading=...}"). */
    String downChecks(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.ofString());
            var checks = dev.northstar.model.json.NorthstarJson.mapper().readTree(response.body()).path("checks");
            List<String> down = new ArrayList<>();
            for (var check : checks) {
                if (!"UP".equals(check.path("status").asText())) {
                    down.add(check.path("name").asText() + (check.has("data") ? " " + check.get("data") : ""));
                }
            }
            return down.isEmpty() ? "no check DOWN (HTTP " + response.statusCode() + ")"
                    : "DOWN: " + String.join("; ", down);
        } catch (IOException e) {
            return "its health endpoint " + uri(path) + " does not answer (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (RuntimeException e) {
            return "its health endpoint answered something else than checks (" + e.getMessage() + ")";
        }
    }

    /** Where to look in the service's log: its last WARN or ERROR line, or that it has none. */
    String lastWarning() {
        try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
            String warning = null;
            for (String line : (Iterable<String>) lines::iterator) {
                if (WARNING.matcher(line).find()) {
                    warning = line;
                }
            }
            return warning != null ? "its last warning (" + log + "): " + warning : "no warning in its log " + log;
        } catch (IOException | java.io.UncheckedIOException e) {
            return "its log " + log + " is unreadable (" + e.getMessage() + ")";
        }
    }

    private static final java.util.regex.Pattern WARNING = java.util.regex.Pattern.compile("\\s(WARN|ERROR)\\s");

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
    }

    /** SIGTERM: Quarkus shuts down gracefully; forced after 20 s. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(Duration.ofSeconds(20))) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(10));
            }
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
