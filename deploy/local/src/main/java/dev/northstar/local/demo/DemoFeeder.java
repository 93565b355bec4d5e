package dev.northstar.local.demo;

import dev.northstar.client.Northstar;
import dev.northstar.client.Rejection;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Publishes a population through ingest with the Java client ({@code clients/java}), reporting progress. */
public final class DemoFeeder {

    private static final int REPORT_EVERY = 2_000;

    private DemoFeeder() {
    }

    /** Sends every event and waits for all; answers how many were accepted. Fails if any was not. */
    public static long feed(URI ingest, String writeKey, List<Map<String, Object>> events, Consumer<String> progress) {
        List<Rejection> rejections = new CopyOnWriteArrayList<>();
        try (Northstar northstar = Northstar.builder(ingest, writeKey).batchSize(250).retryBudget(Duration.ofMinutes(2))
                .onRejected(rejections::add).build()) {
            for (int i = 0; i < events.size(); i++) {
                northstar.send(events.get(i));
                int done = i + 1;
                if (done == events.size() || done % REPORT_EVERY == 0) {
                    progress.accept(String.format("  demo data: %,d of %,d events queued (%d%%)", done, events.size(),
                            done * 100 / events.size()));
                }
            }
            if (!northstar.flush(Duration.ofMinutes(2)) || !rejections.isEmpty()) {
                throw new IllegalStateException("Ingest did not take every demo event: " + northstar.stats()
                        + (rejections.isEmpty() ? "" : ", first refusal: " + rejections.get(0)));
            }
            return northstar.stats().accepted();
        }
    }
}
