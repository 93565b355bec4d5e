package dev.northstar.adoption.compact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * The latest time (epoch milliseconds) per user number, for a set of users that is nearly all of
 * a {@link dev.northstar.signals.compact.UserIds} dictionary (a project's active users: every numbered user has one): one
 * {@code long} per number, indexed directly, about 10 bytes per user with growth room. Saved in
 * the same form as {@link LatestTimes} (see {@link UserTimes}). Not thread-safe.
 */
public final class DenseLatestTimes extends UserTimes {

    private static final long NONE = Long.MIN_VALUE;

    private transient long[] times = filled(16);
    private transient int size;

    public DenseLatestTimes() {
    }

    @JsonCreator
    static DenseLatestTimes restore(@JsonProperty("users") int[] users, @JsonProperty("times") long[] times) {
        return UserTimes.fill(new DenseLatestTimes(), users, times);
    }

    /** In user-number order. */
    @Override
    public void forEach(Visitor visitor) {
        for (int user = 0; user < times.length; user++) {
            if (times[user] != NONE) {
                visitor.accept(user, times[user]);
            }
        }
    }

    @Override
    public boolean update(int user, long time) {
        if (user < 0) {
            throw new IllegalArgumentException("user numbers are not negative: " + user);
        }
        if (time == NONE) {
            throw new IllegalArgumentException("not a time: " + time);
        }
        if (user >= times.length) {
            grow(user);
        }
        long known = times[user];
        if (known == NONE) {
            times[user] = time;
            size++;
            return true;
        }
        if (time > known) {
            times[user] = time;
        }
        return false;
    }

    @Override
    public long latest(int user) {
        return user >= 0 && user < times.length ? times[user] : NONE;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void remove(int user) {
        if (user >= 0 && user < times.length && times[user] != NONE) {
            times[user] = NONE;
            size--;
        }
    }

    @Override
    public int countAfter(long since) {
        int count = 0;
        for (long time : times) {
            if (time > since) { // NONE is never after anything
                count++;
            }
        }
        return count;
    }

    private void grow(int user) {
        int length = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(user + 1L, times.length + (times.length >> 1)));
        int old = times.length;
        times = Arrays.copyOf(times, length);
        Arrays.fill(times, old, length, NONE);
    }

    private static long[] filled(int length) {
        long[] out = new long[length];
        Arrays.fill(out, NONE);
        return out;
    }
}
