package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Ratings as a count and the sum of their values, so that slices add up and the mean is exact. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RatingSum(long count, long sum) {

    public static final RatingSum NONE = new RatingSum(0, 0);

    /** The mean rating; null without ratings. */
    public Double average() {
        return count == 0 ? null : (double) sum / count;
    }

    public RatingSum plus(RatingSum other) {
        return new RatingSum(count + other.count, sum + other.sum);
    }
}
