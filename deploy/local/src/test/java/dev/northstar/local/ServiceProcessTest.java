package dev.northstar.local;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the launcher says when a service is not ready in time: which checks are DOWN, and where to look in its log. */
class ServiceProcessTest {

    @TempDir
    Path dir;

    @Test
    void aServiceNotReadyIsExplainedByItsDownChecksAndItsLastWarning() throws Exception {
        HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/q/health/ready", exchange -> {
            byte[] body = """
                    {"status":"DOWN","checks":[{"name":"project registry loaded","status":"UP"},
                     {"name":"signals loaded","status":"DOWN","data":{"still reading":"northstar.feature-history.v1"}},
                     {"name":"topics as needed","status":"UP","data":{"topics":7}}]}""".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        health.start();
        try {
            int port = health.getAddress().getPort();
            var service = new ServiceProcess("insights", dir.resolve("none.jar"), port, port, Map.of(), dir);
            assertThat(service.downChecks("/q/health/ready"))
                    .isEqualTo("DOWN: signals loaded {\"still reading\":\"northstar.feature-history.v1\"}");

            assertThat(service.lastWarning()).startsWith("its log ").endsWith("is unreadable (" + service.log() + ")");
            Files.writeString(service.log(), """
                    2026-12-07 23:39:01,000 INFO  [io.quarkus] (main) insights started
                    2026-12-07 23:39:02,000 WARN  [dev.northstar.X] (main) the first warning
                    2026-12-07 23:39:03,000 ERROR [dev.northstar.Y] (main) Cannot read the end of northstar.feature-history.v1
                    2026-12-07 23:39:04,000 INFO  [io.smallrye.health] (main) Reporting health down status
                    """);
            assertThat(service.lastWarning()).isEqualTo("its last warning (" + service.log() + "): 2026-12-07 23:39:03,000 "
                    + "ERROR [dev.northstar.Y] (main) Cannot read the end of northstar.feature-history.v1");
            Files.writeString(service.log(), "2026-12-07 23:39:01,000 INFO  [io.quarkus] (main) insights started\n");
            assertThat(service.lastWarning()).isEqualTo("no warning in its log " + service.log());
        } finally {
            health.stop(0);
        }
    }
}
