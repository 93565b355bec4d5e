package dev.northstar.signals.compact;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hash flooding: user ids are chosen by whoever sends events. Ids crafted to share one home slot of
 * the dictionary's table under the unseeded hash make every lookup walk one chain; under this
 * process's random seed the same ids spread and probes stay short. ASCII and non-ASCII ids (two
 * lookup paths) are both covered.
 */
class UserIdsFloodingTest {

    private static final int IDS = 1_000;
    /** The table size UserIds reaches with {@link #IDS} ids (at most half full). */
    private static final int SLOTS = 2_048;

    private static List<String> crafted(String prefix) {
        List<String> ids = new ArrayList<>();
        for (long n = 0; ids.size() < IDS; n++) {
            String id = prefix + n;
            if (UserIds.homeSlot(id, 0, SLOTS) == 0) {
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void crafted_ids_walk_one_chain_unseeded_but_probes_stay_short_with_the_process_seed() {
        for (String prefix : List.of("user-", "usér-")) {
            List<String> ids = crafted(prefix);
            UserIds unseeded = new UserIds(0);
            ids.forEach(unseeded::number);
            assertThat(unseeded.longestProbe()).as(prefix + ": the attack, without a seed").isGreaterThan(IDS - 10);

            UserIds seeded = new UserIds();
            for (int i = 0; i < ids.size(); i++) {
                assertThat(seeded.number(ids.get(i))).isEqualTo(i);
            }
            System.out.printf("UserIds (%s...): %d crafted ids, longest probe %d unseeded, %d with the process seed%n",
                    prefix, IDS, unseeded.longestProbe(), seeded.longestProbe());
            assertThat(seeded.longestProbe()).as(prefix + ": with this process's seed").isLessThan(64);
            // Still exact: the same id, the same number; restored elsewhere, the same numbers.
            assertThat(seeded.number(ids.get(17))).isEqualTo(17);
            UserIds restored = UserIds.restore(seeded.saved());
            assertThat(restored.number(ids.get(999))).isEqualTo(999);
            assertThat(restored.size()).isEqualTo(IDS);
        }
    }
}
