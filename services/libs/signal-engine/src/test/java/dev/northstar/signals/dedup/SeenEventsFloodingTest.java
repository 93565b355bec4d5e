package dev.northstar.signals.dedup;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hash flooding: eventIds are chosen by whoever sends events. Ids crafted so that their fingerprints
 * share one home slot in the table under a fixed (unseeded) placement make every lookup walk the
 * whole chain there; under this process's random seed the same ids spread, and probes stay short.
 */
class SeenEventsFloodingTest {

    private static final int IDS = 1_000;
    /** The table size SeenEvents reaches with {@link #IDS} fingerprints (at most half full). */
    private static final int SLOTS = 2_048;

    /** {@code IDS} ids whose fingerprints share a home slot when the table is placed without a seed. */
    static List<String> crafted() {
        List<String> ids = new ArrayList<>();
        for (long n = 0; ids.size() < IDS; n++) {
            String id = "evt-" + n;
            if ((SeenEvents.home(SeenEvents.fingerprint(id), 0L) & (SLOTS - 1)) == 0) {
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void crafted_ids_walk_one_chain_unseeded_but_probes_stay_short_with_the_process_seed() {
        List<String> ids = crafted();

        SeenEvents unseeded = new SeenEvents(0L);
        ids.forEach(unseeded::firstTime);
        assertThat(unseeded.tableSize()).isEqualTo(SLOTS);
        assertThat(unseeded.longestProbe()).as("the attack, without a seed").isGreaterThan(IDS - 10);

        SeenEvents seeded = new SeenEvents();
        for (String id : ids) {
            assertThat(seeded.firstTime(id)).isTrue();
        }
        assertThat(seeded.tableSize()).isEqualTo(SLOTS);
        System.out.printf("SeenEvents: %d crafted ids, longest probe %d unseeded, %d with the process seed%n",
                IDS, unseeded.longestProbe(), seeded.longestProbe());
        assertThat(seeded.longestProbe()).as("with this process's seed").isLessThan(64);
        for (String id : ids) {
            assertThat(seeded.firstTime(id)).as("still a duplicate: " + id).isFalse();
        }
    }

    @Test
    void a_state_saved_under_one_seed_recognises_its_events_under_another() {
        SeenEvents before = new SeenEvents(42L);
        crafted().subList(0, 100).forEach(before::firstTime);
        SeenEvents after = SeenEvents.restore(before.saved(), before.duplicates());
        for (String id : crafted().subList(0, 100)) {
            assertThat(after.firstTime(id)).isFalse();
        }
        assertThat(after.firstTime("a-new-one")).isTrue();
    }
}
