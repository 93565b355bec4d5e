package dev.northstar.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A packaged service started without its required configuration exits at once, with a message
 * naming what is missing — it never starts half-configured (say, against a broker on localhost).
 */
class MissingConfigurationIT {

    private static final Path REPO = Path.of(System.getProperty("northstar.repo.root", "../..")).toAbsolutePath();
    private static final List<String> SERVICES = ServiceModules.all(REPO);

    record Exit(int code, String output) {
    }

    /** Runs a service's fast-jar with none of our variables but {@code environment}; it must exit within 60 s. */
    private static Exit run(String service, Map<String, String> environment) throws IOException, InterruptedException {
        Path jar = REPO.resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("packaged %s", service).isRegularFile();
        Path output = Files.createTempFile(REPO.resolve("deploy/local/target"), "missing-config-" + service, ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("KAFKA_") || name.startsWith("NORTHSTAR_")
                || name.startsWith("QUARKUS_"));
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(TestStacks.freePort()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        assertThat(exited).as("%s exits at once without its configuration; output in %s", service, output).isTrue();
        return new Exit(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    @Test
    void withoutAKafkaAddressEveryServiceExitsNamingIt() throws Exception {
        for (String service : SERVICES) {
            Exit exit = run(service, Map.of("NORTHSTAR_ADMIN_TOKEN", "an-admin-token-long-enough-for-the-check",
                    "NORTHSTAR_WEBHOOK_SECRETS_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32])));

            assertThat(exit.code()).as(service).isNotZero();
            assertThat(exit.output()).as(service).contains("KAFKA_BOOTSTRAP_SERVERS");
        }
    }

    @Test
    void ingestWithoutAnAdminTokenExitsNamingIt() throws Exception {
        Exit exit = run("ingest", Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:1"));

        assertThat(exit.code()).isNotZero();
        assertThat(exit.output()).contains("NORTHSTAR_ADMIN_TOKEN");
    }

    @Test
    void theNotifierWithoutAValidKeyForWebhookSecretsExitsNamingIt() throws Exception {
        Exit missing = run("notifier", Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:1",
                "NORTHSTAR_ADMIN_TOKEN", "an-admin-token-long-enough-for-the-check"));
        assertThat(missing.code()).isNotZero();
        assertThat(missing.output()).contains("NORTHSTAR_WEBHOOK_SECRETS_KEY");

        Exit tooShort = run("notifier", Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:1",
                "NORTHSTAR_ADMIN_TOKEN", "an-admin-token-long-enough-for-the-check",
                "NORTHSTAR_WEBHOOK_SECRETS_KEY", "c2hvcnQ="));
        assertThat(tooShort.code()).isNotZero();
        assertThat(tooShort.output()).contains("NORTHSTAR_WEBHOOK_SECRETS_KEY must be 32 bytes in base64 (it is 5)");
    }

    @Test
    void ingestAskedToPseudonymizeWithoutAKeyExitsNamingIt() throws Exception {
        Exit exit = run("ingest", Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:1",
                "NORTHSTAR_ADMIN_TOKEN", "an-admin-token-long-enough-for-the-check", "NORTHSTAR_PSEUDONYMIZE_ACTORS", "true"));

        assertThat(exit.code()).isNotZero();
        assertThat(exit.output()).contains("NORTHSTAR_PSEUDONYM_KEY");
    }
}
