package dev.northstar.local;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two ingest instances on one cluster: the same project id created on both at the same moment is
 * one project (one 201, one 409), its keys are the 201's on both instances, and a key created on
 * one instance and used at once on the other is answered "retry" (503) until that instance has read
 * it, never "refused" (401).
 */
class RegistrationAcrossInstancesIT {

    private static final int PROJECTS = 20;

    @Test
    void concurrentCreatesOfOneIdOnTwoInstancesMakeOneProjectWhoseKeysWorkEverywhereAtOnce() throws Exception {
        try (LocalStack stack = TestStacks.start(List.of("ingest"))) {
            ServiceProcess a = stack.service("ingest");
            ServiceProcess b = stack.anotherInstance("ingest", "ingest-b", TestStacks.freePort());
            var pool = Executors.newFixedThreadPool(4);
            try (b) {
                b.start();
                b.awaitReady(Duration.ofSeconds(60));
                var clientA = new NorthstarClient(URI.create("http://localhost:" + a.port()), URI.create("http://unused"));
                var clientB = new NorthstarClient(URI.create("http://localhost:" + b.port()), URI.create("http://unused"));
                int unauthorized = 0;
                int retried = 0;
                for (int i = 0; i < PROJECTS; i++) {
                    String id = "race-" + i;
                    var onA = CompletableFuture.supplyAsync(() -> create(clientA, id), pool);
                    var onB = CompletableFuture.supplyAsync(() -> create(clientB, id), pool);
                    NorthstarClient.Answer answerA = onA.get();
                    NorthstarClient.Answer answerB = onB.get();
                    assertThat(List.of(answerA.status(), answerB.status())).as(id + ": " + answerA.text() + " / "
                            + answerB.text()).containsExactlyInAnyOrder(201, 409);
                    var won = answerA.status() == 201 ? answerA : answerB;
                    var other = won == answerA ? clientB : clientA;
                    String writeKey = won.body().path("writeKey").asText();
                    // At once on the instance that did not create it: 503 (retry) until it has read it, never 401.
                    Instant deadline = Instant.now().plusSeconds(30);
                    int status;
                    do {
                        status = other.postEvents(writeKey, batch(id)).status();
                        if (status == 401) {
                            unauthorized++;
                        }
                        if (status == 503) {
                            retried++;
                            Thread.sleep(50);
                        }
                    } while (status == 503 && Instant.now().isBefore(deadline));
                    assertThat(status).as(id + " on the other instance").isEqualTo(202);
                    assertThat((won == answerA ? clientA : clientB).postEvents(writeKey, batch(id)).status()).isEqualTo(202);
                }
                assertThat(unauthorized).isZero();
                System.out.printf("RegistrationAcrossInstancesIT: %d ids created concurrently on 2 instances: %d x 201, "
                        + "%d x 409, 0 x 401; %d answers 503 (retry) while the other instance caught up%n",
                        PROJECTS, PROJECTS, PROJECTS, retried);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Creates a project, retrying while the instance answers 503 (registry loading). */
    private static NorthstarClient.Answer create(NorthstarClient client, String id) {
        NorthstarClient.Answer answer;
        do {
            answer = client.createProject(TestStacks.ADMIN_TOKEN, id, id);
        } while (answer.status() == 503);
        return answer;
    }

    private static String batch(String id) {
        return NorthstarClient.json(Map.of("events", List.of(Map.of("eventId", id + "-" + System.nanoTime(),
                "type", "feature_used", "userId", "u1", "feature", "export",
                "occurredAt", Instant.now().toString()))));
    }
}
