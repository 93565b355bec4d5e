package dev.northstar.signals.dedup;

import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.topic.Keyed;
import dev.northstar.signals.EventLedger;
import dev.northstar.signals.Ledger;
import dev.northstar.signals.LedgerJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SeenEventsTest {

    /** A ledger holding nothing but a SeenEvents, as the real ledgers hold one per project. */
    static final class SeenLedger implements EventLedger<Long> {
        SeenEvents seen = new SeenEvents();

        @Override
        public boolean record(ProductEvent event) {
            return seen.firstTime(event.eventId());
        }

        @Override
        public List<Keyed<Long>> drainChanged(Instant now) {
            return List.of();
        }

        @Override
        public void markAllChanged() {
        }
    }

    /** Saved and restored the way the json store does it, inside a ledger. */
    private static SeenEvents roundTrip(SeenEvents seen) throws IOException {
        Ledger.Codec<ProductEvent, Long> codec = LedgerJson.codec(SeenLedger.class, SeenLedger::new);
        SeenLedger ledger = new SeenLedger();
        ledger.seen = seen;
        return ((SeenLedger) codec.restore(codec.save(ledger))).seen;
    }

    @Test
    void anEventIdIsFirstSeenOnceAndCountedAsADuplicateAfterwards() {
        SeenEvents seen = new SeenEvents();

        assertThat(seen.firstTime("evt-1")).isTrue();
        assertThat(seen.firstTime("evt-2")).isTrue();
        assertThat(seen.firstTime("evt-1")).isFalse();
        assertThat(seen.firstTime("evt-1")).isFalse();

        assertThat(seen.size()).isEqualTo(2);
        assertThat(seen.duplicates()).isEqualTo(2);
    }

    @Test
    void remembersExactlyTheLastWindowOfDistinctIds() {
        SeenEvents seen = new SeenEvents();
        int total = SeenEvents.WINDOW + 25_000;
        for (int i = 0; i < total; i++) {
            assertThat(seen.firstTime("id-" + i)).isTrue();
        }
        assertThat(seen.size()).isEqualTo(SeenEvents.WINDOW);

        // The oldest 25,000 fell out of the window; every later one is still known.
        int oldestKept = total - SeenEvents.WINDOW;
        for (int i = oldestKept; i < total; i += 997) {
            assertThat(seen.firstTime("id-" + i)).as("id-%d", i).isFalse();
        }
        assertThat(seen.firstTime("id-" + (oldestKept - 1))).isTrue();
    }

    @Test
    void agreesWithAnExactWindowUnderRandomRepeats() {
        // Few distinct ids, many repeats and evictions: the removal path is exercised hard.
        SeenEvents seen = new SeenEvents();
        java.util.ArrayDeque<String> window = new java.util.ArrayDeque<>();
        Set<String> inWindow = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 600_000; i++) {
            String id = "e" + random.nextInt(150_000);
            boolean expected = !inWindow.contains(id);
            assertThat(seen.firstTime(id)).as("event %d (%s)", i, id).isEqualTo(expected);
            if (expected) {
                window.addLast(id);
                inWindow.add(id);
                if (window.size() > SeenEvents.WINDOW) {
                    inWindow.remove(window.removeFirst());
                }
            }
        }
    }

    @Test
    void survivesASaveAndRestoreWithItsOrder() throws IOException {
        SeenEvents seen = new SeenEvents();
        for (int i = 0; i < SeenEvents.WINDOW + 10; i++) {
            seen.firstTime("id-" + i);
        }
        seen.firstTime("id-50");

        SeenEvents restored = roundTrip(seen);

        assertThat(restored.size()).isEqualTo(SeenEvents.WINDOW);
        assertThat(restored.duplicates()).isEqualTo(1);
        assertThat(restored.firstTime("id-" + (SeenEvents.WINDOW + 9))).isFalse();
        // Order kept: the next new id evicts id-10, the oldest still remembered.
        assertThat(restored.firstTime("new")).isTrue();
        assertThat(restored.firstTime("id-11")).isFalse();
        assertThat(restored.firstTime("id-10")).isTrue();
    }

    @Test
    void aSmallSetRoundTripsAndKeepsGrowing() throws IOException {
        SeenEvents seen = new SeenEvents();
        seen.firstTime("a");
        seen.firstTime("b");

        SeenEvents restored = roundTrip(seen);
        for (int i = 0; i < 1000; i++) {
            assertThat(restored.firstTime("more-" + i)).isTrue();
        }
        assertThat(restored.firstTime("a")).isFalse();
        assertThat(restored.size()).isEqualTo(1002);
    }

    @Test
    void fingerprintsOfNearbyIdsDiffer() {
        Set<Long> fingerprints = new HashSet<>();
        for (int i = 0; i < 1_000_000; i++) {
            fingerprints.add(SeenEvents.fingerprint("evt-" + i));
        }
        assertThat(fingerprints).hasSize(1_000_000);
    }
}
