package dev.northstar.friction.domain;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The primitive actor map against a {@code HashMap} oracle, through growth and backward-shift removals. */
class ActorEntriesTest {

    @Test
    void behavesAsAMapThroughPutsRemovalsAndGrowth() {
        ActorEntries entries = new ActorEntries();
        Map<Integer, int[]> oracle = new HashMap<>();
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            int actor = random.nextInt(20_000);
            switch (random.nextInt(3)) {
                case 0, 1 -> {
                    int[] value = {i};
                    entries.put(actor, value);
                    oracle.put(actor, value);
                }
                default -> assertThat(entries.remove(actor)).isSameAs(oracle.remove(actor));
            }
        }
        assertThat(entries.size()).isEqualTo(oracle.size());
        for (int actor = 0; actor < 20_000; actor++) {
            assertThat(entries.get(actor)).as("actor " + actor).isSameAs(oracle.get(actor));
        }
        Map<Integer, int[]> visited = new HashMap<>();
        entries.update((actor, value) -> {
            visited.put(actor, value);
            return value;
        });
        assertThat(visited).isEqualTo(oracle);
    }
}
