package dev.northstar.model.snapshot;

import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Times to convert from one funnel step to the next, as histograms that slices of different partitions
 * add up exactly: a duration in seconds falls in a bucket named by its lower bound — every second
 * below a minute, then buckets about 2 % wide (60, 61, 62, ..., 100, 102, 104, ...). The median shown
 * is the lower median's bucket: exact below a minute, within 2 % (rounded down) above.
 */
public final class ConversionTimes {

    /** Bucket lower bounds in seconds, ascending, up to past a year. */
    private static final long[] BOUNDS;

    static {
        long[] bounds = new long[2048];
        int n = 0;
        for (long s = 0; s < 60; s++) {
            bounds[n++] = s;
        }
        long b = 60;
        while (b < 400L * 86_400) {
            bounds[n++] = b;
            b = Math.max(b + 1, (long) Math.floor(b * 1.02));
        }
        bounds[n++] = b;
        BOUNDS = Arrays.copyOf(bounds, n);
    }

    private ConversionTimes() {
    }

    /** The lower bound of the bucket {@code seconds} falls in (negative durations count as 0). */
    public static long bucket(long seconds) {
        if (seconds <= 0) {
            return 0;
        }
        int i = Arrays.binarySearch(BOUNDS, seconds);
        return i >= 0 ? BOUNDS[i] : BOUNDS[-i - 2];
    }

    /** Adds {@code count} durations of {@code seconds} to {@code histogram}. */
    public static void add(SortedMap<Long, Long> histogram, long seconds, long count) {
        histogram.merge(bucket(seconds), count, Long::sum);
    }

    /** The histograms added up. */
    public static SortedMap<Long, Long> sum(Iterable<? extends Map<Long, Long>> histograms) {
        SortedMap<Long, Long> sum = new TreeMap<>();
        for (Map<Long, Long> h : histograms) {
            h.forEach((bucket, count) -> sum.merge(bucket, count, Long::sum));
        }
        return sum;
    }

    /**
     * The bucket of the lower median (the ⌈n/2⌉-th smallest of n durations), or null for an empty
     * histogram.
     */
    public static Long lowerMedian(Map<Long, Long> histogram) {
        long n = histogram.values().stream().mapToLong(Long::longValue).sum();
        if (n == 0) {
            return null;
        }
        long rank = (n + 1) / 2;
        long seen = 0;
        for (Map.Entry<Long, Long> e : new TreeMap<>(histogram).entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
