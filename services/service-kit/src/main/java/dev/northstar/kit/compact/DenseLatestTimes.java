package dev.northstar.kit.compact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * The latest time (epoch milliseconds) per user number, for a set of users that is nearly all of
 * a {@link UserIds} dictionary (a project's active users: every numbered user has one): one
 * {@code long} per number, indexed directly, about 10 bytes per user with growth room. Saved in
 * the same form as {@link LatestTimes} ({@code users} and {@code times} at the same positions),
 * so either reads what the other wrote. Not thread-safe.
 */
public final class DenseLatestTimes implements UserTimes {

    private static final long NONE = Long.MIN_VALUE;

    private transient long[] times = filled(16);
    private transient int size;

    public DenseLatestTimes() {
    }

    @JsonCreator
    static DenseLatestTimes restore(@JsonProperty("users") int[] users, @JsonProperty("times") long[] times) {
        if (users == null || times == null || users.length != times.length) {
            throw new IllegalArgumentException("users and times must be arrays of the same length");
        }
        DenseLatestTimes latest = new DenseLatestTimes();
        for (int i = 0; i < users.length; i++) {
            latest.update(users[i], times[i]);
        }
        return latest;
    }

    @JsonProperty("users")
    int[] savedUsers() {
        int[] out = new int[size];
        int j = 0;
        for (int user = 0; user < times.length; user++) {
            if (times[user] != NONE) {
                out[j++] = user;
            }
        }
        return out;
    }

    @JsonProperty("times")
    long[] savedTimes() {
        long[] out = new long[size];
        int j = 0;
        for (long time : times) {
            if (time != NONE) {
                out[j++] = time;
            }
        }
        return out;
    }

    /** Keeps {@code time} for {@code user} unless a later one is known; true when the user is new. */
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

    /** The latest time of {@code user}, or {@link Long#MIN_VALUE} when it has none. */
    public long latest(int user) {
        return user >= 0 && user < times.length ? times[user] : NONE;
    }

    /** Users with a time. */
    @Override
    public int size() {
        return size;
    }

    /** How many users have a latest time strictly after {@code since} (epoch milliseconds). */
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
