package dev.northstar.kit.compact;

/** The latest time per user number, as windows read it. */
public sealed interface UserTimes permits LatestTimes, DenseLatestTimes {

    /** How many users have a latest time strictly after {@code since} (epoch milliseconds). */
    int countAfter(long since);

    /** Users with a time. */
    int size();
}
