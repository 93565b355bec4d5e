package dev.northstar.adoption.compact;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The latest time (epoch milliseconds) per user number of a {@link dev.northstar.signals.compact.UserIds} dictionary, as
 * windows read it. Both forms are saved alike — {@code users} and {@code times} at the same
 * positions — so either restores what the other wrote.
 */
public abstract sealed class UserTimes permits LatestTimes, DenseLatestTimes {

    /** Keeps {@code time} for {@code user} unless a later one is known; true when the user is new. */
    public abstract boolean update(int user, long time);

    /** The latest time of {@code user}, or {@link Long#MIN_VALUE} when it has none. */
    public abstract long latest(int user);

    /** How many users have a latest time strictly after {@code since} (epoch milliseconds). */
    public abstract int countAfter(long since);

    /** Users with a time. */
    public abstract int size();

    /** Forgets {@code user}'s time (an anonymous actor whose state moved to the user it is linked to). */
    public abstract void remove(int user);

    /** Calls {@code visitor} once for each user with a time. */
    public abstract void forEach(Visitor visitor);

    /** A user number and its latest time. */
    @FunctionalInterface
    public interface Visitor {
        void accept(int user, long time);
    }

    /** Fills {@code empty} from the saved arrays. */
    static <T extends UserTimes> T fill(T empty, int[] users, long[] times) {
        if (users == null || times == null || users.length != times.length) {
            throw new IllegalArgumentException("users and times must be arrays of the same length");
        }
        for (int i = 0; i < users.length; i++) {
            empty.update(users[i], times[i]);
        }
        return empty;
    }

    /** The saved form's {@code users}: one per user with a time, in {@link #forEach} order. */
    @JsonProperty("users")
    final int[] savedUsers() {
        int[] out = new int[size()];
        int[] next = {0};
        forEach((user, time) -> out[next[0]++] = user);
        return out;
    }

    /** The saved form's {@code times}, at the positions of {@link #savedUsers}. */
    @JsonProperty("times")
    final long[] savedTimes() {
        long[] out = new long[size()];
        int[] next = {0};
        forEach((user, time) -> out[next[0]++] = time);
        return out;
    }
}
