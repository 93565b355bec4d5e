package dev.northstar.adoption.compact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The latest time (epoch milliseconds) seen for each user number ({@link dev.northstar.signals.compact.UserIds}): an
 * open-addressing map of primitive ints to longs, about 20 bytes per user instead of ~90 for a
 * {@code HashMap<String, Instant>} entry. Counting the users in a window is a scan of one array.
 * Not thread-safe.
 */
public final class LatestTimes extends UserTimes {

    // Transient: the saved form is UserTimes' two arrays.

    /** {@code user + 1} per used slot, 0 when free. */
    private transient int[] keys = new int[16];
    private transient long[] times = new long[16];
    private transient int size;

    public LatestTimes() {
    }

    @JsonCreator
    static LatestTimes restore(@JsonProperty("users") int[] users, @JsonProperty("times") long[] times) {
        return UserTimes.fill(new LatestTimes(), users, times);
    }

    /** In slot order. */
    @Override
    public void forEach(Visitor visitor) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                visitor.accept(keys[i] - 1, times[i]);
            }
        }
    }

    @Override
    public boolean update(int user, long time) {
        if (user < 0) {
            throw new IllegalArgumentException("user numbers are not negative: " + user);
        }
        int key = user + 1;
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                if (time > times[i]) {
                    times[i] = time;
                }
                return false;
            }
            if (keys[i] == 0) {
                keys[i] = key;
                times[i] = time;
                if (++size * 4 > keys.length * 3) {
                    grow();
                }
                return true;
            }
        }
    }

    @Override
    public long latest(int user) {
        int key = user + 1;
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return times[i];
            }
            if (keys[i] == 0) {
                return Long.MIN_VALUE;
            }
        }
    }

    @Override
    public int size() {
        return size;
    }

    /** Removes with backward-shift deletion, so lookups never need tombstones. */
    @Override
    public void remove(int user) {
        int key = user + 1;
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = 0;
        times[i] = 0;
        size--;
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            // Move j back to i unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!stays) {
                keys[i] = keys[j];
                times[i] = times[j];
                keys[j] = 0;
                times[j] = 0;
                i = j;
            }
        }
    }

    @Override
    public int countAfter(long since) {
        int count = 0;
        if (since >= 0) {
            // Free slots hold time 0, which is not after a non-negative time: one array is enough.
            for (long time : times) {
                if (time > since) {
                    count++;
                }
            }
            return count;
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0 && times[i] > since) {
                count++;
            }
        }
        return count;
    }

    private void grow() {
        int[] oldKeys = keys;
        long[] oldTimes = times;
        keys = new int[oldKeys.length * 2];
        times = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = mix(oldKeys[j]) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                times[i] = oldTimes[j];
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9e3779b9;
        return h ^ (h >>> 16);
    }
}
