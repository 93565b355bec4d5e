package dev.northstar.friction.domain;

/**
 * Actor number → its {@code int[]} entry, by open addressing on primitive arrays: no boxed key and no
 * map entry per actor (a {@code HashMap<Integer, int[]>} costs about 50 bytes more per actor). Saved
 * field by field by the json store: the slot arrays as they are. Not thread-safe.
 */
final class ActorEntries {

    /** {@code actor + 1} per used slot, 0 when free. */
    int[] keys = new int[16];
    int[][] values = new int[16][];
    int size;

    int size() {
        return size;
    }

    int[] get(int actor) {
        int key = actor + 1;
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
            if (keys[i] == 0) {
                return null;
            }
        }
    }

    void put(int actor, int[] value) {
        int key = actor + 1;
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            if (keys[i] == 0) {
                keys[i] = key;
                values[i] = value;
                if (++size * 4 > keys.length * 3) {
                    grow();
                }
                return;
            }
        }
    }

    /** Removes the actor's entry (backward-shift deletion: lookups need no tombstones); answers it, or null. */
    int[] remove(int actor) {
        int key = actor + 1;
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return null;
            }
            i = (i + 1) & mask;
        }
        int[] removed = values[i];
        keys[i] = 0;
        values[i] = null;
        size--;
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!stays) {
                keys[i] = keys[j];
                values[i] = values[j];
                keys[j] = 0;
                values[j] = null;
                i = j;
            }
        }
        return removed;
    }

    /** Visits every entry; the visitor may replace the entry's value, or remove it by answering null. */
    void update(Updater updater) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                int[] now = updater.update(keys[i] - 1, values[i]);
                if (now != null) {
                    values[i] = now;
                }
            }
        }
    }

    @FunctionalInterface
    interface Updater {
        /** The entry's new value (the same array to keep it). */
        int[] update(int actor, int[] value);
    }

    private void grow() {
        int[] oldKeys = keys;
        int[][] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new int[oldKeys.length * 2][];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = mix(oldKeys[j]) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9e3779b9;
        return h ^ (h >>> 16);
    }
}
