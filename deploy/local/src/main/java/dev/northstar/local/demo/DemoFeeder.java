package dev.northstar.local.demo;

import dev.northstar.local.NorthstarClient;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Publishes a population through the HTTP API in batches, reporting progress. */
public final class DemoFeeder {

    private static final int BATCH = 250;

    private DemoFeeder() {
    }

    /** Posts every event; answers how many were accepted. Fails on any answer but 202. */
    public static long feed(NorthstarClient client, String writeKey, List<Map<String, Object>> events,
                            Consumer<String> progress) {
        long accepted = 0;
        for (int from = 0; from < events.size(); from += BATCH) {
            List<Map<String, Object>> batch = events.subList(from, Math.min(events.size(), from + BATCH));
            var answer = client.postEvents(writeKey, NorthstarClient.json(Map.of("events", batch)));
            if (answer.status() != 202) {
                throw new IllegalStateException("Ingest answered " + answer.status() + ": " + answer.text());
            }
            accepted += answer.body().get("accepted").asLong();
            int done = from + batch.size();
            if (done == events.size() || (from / BATCH) % 8 == 0) {
                progress.accept(String.format("  demo data: %,d of %,d events sent (%d%%)", done, events.size(),
                        done * 100 / events.size()));
            }
        }
        return accepted;
    }
}
