package dev.northstar.friction.domain;

import dev.northstar.model.snapshot.ConversionTimes;
import dev.northstar.model.snapshot.FrictionRecord.FunnelStep;
import dev.northstar.model.snapshot.FrictionRecord.StepTimes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One funnel's actors in one partition: for each actor (its number in the project's dictionary) the
 * times of its step events, so that the ordered, windowed steps can be counted as of any moment and
 * whatever order the events arrived in. Per actor one {@code int[]} (in {@link ActorEntries}, no boxing): for each step from 1 to the
 * highest it has, the number of times, then the times (seconds since {@link #BASE}, ascending,
 * distinct). At most {@value #MAX_TIMES_PER_STEP} times per step are kept (the oldest go first), and
 * times older than the 28-day entry window are dropped when counting: they can no longer matter.
 * Not thread-safe.
 */
final class FunnelState {

    /** Times are seconds since 2020-01-01T00:00:00Z, in an int (good until 2088). */
    static final long BASE = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();
    static final int MAX_TIMES_PER_STEP = 64;
    static final Duration ENTRY_WINDOW = Duration.ofDays(28);

    /** Per actor number, its step times (layout above). */
    final ActorEntries actors = new ActorEntries();
    /** The highest step number seen in this funnel. */
    int lastStep;

    static int seconds(Instant at) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, at.getEpochSecond() - BASE));
    }

    /** Records that {@code actor} had a {@code step} event at {@code at}. */
    void add(int actor, int step, Instant at) {
        lastStep = Math.max(lastStep, step);
        int[][] steps = decode(actors.get(actor), step);
        int time = seconds(at);
        int[] times = steps[step - 1];
        int i = Arrays.binarySearch(times, time);
        if (i >= 0) {
            return; // the same second again: nothing new to know
        }
        int at2 = -i - 1;
        int[] grown = new int[times.length + 1];
        System.arraycopy(times, 0, grown, 0, at2);
        grown[at2] = time;
        System.arraycopy(times, at2, grown, at2 + 1, times.length - at2);
        if (grown.length > MAX_TIMES_PER_STEP) {
            grown = Arrays.copyOfRange(grown, grown.length - MAX_TIMES_PER_STEP, grown.length);
        }
        steps[step - 1] = grown;
        actors.put(actor, encode(steps));
    }

    /** Takes {@code actor}'s step times out (per step, index step − 1); none when it has none. */
    int[][] remove(int actor) {
        int[] entry = actors.remove(actor);
        return entry == null ? new int[0][] : decode(entry, 0);
    }

    /** The steps as counted at {@code now} with a conversion window of {@code windowDays}. */
    Counted count(Instant now, int windowDays) {
        int cutoff = seconds(now.minus(ENTRY_WINDOW));
        long window = Duration.ofDays(windowDays).toSeconds();
        long[] users = new long[lastStep + 1];
        List<SortedMap<Long, Long>> durations = new ArrayList<>(lastStep + 1);
        for (int s = 0; s <= lastStep; s++) {
            durations.add(new TreeMap<>());
        }
        List<Integer> gone = new ArrayList<>();
        actors.update((actor, entry) -> {
            int[][] steps = decode(entry, 0);
            boolean pruned = false;
            boolean any = false;
            for (int s = 0; s < steps.length; s++) {
                int keep = 0;
                while (keep < steps[s].length && steps[s][keep] < cutoff) {
                    keep++;
                }
                if (keep > 0) {
                    steps[s] = Arrays.copyOfRange(steps[s], keep, steps[s].length);
                    pruned = true;
                }
                any |= steps[s].length > 0;
            }
            if (!any) {
                gone.add(actor);
                return entry;
            }
            if (steps[0].length > 0) {
                long entered = steps[0][0];
                long deadline = entered + window;
                long previous = entered;
                users[1]++;
                for (int s = 2; s <= steps.length; s++) {
                    int[] times = steps[s - 1];
                    int i = Arrays.binarySearch(times, (int) previous);
                    int first = i >= 0 ? i : -i - 1;
                    if (first >= times.length || times[first] > deadline) {
                        break;
                    }
                    users[s]++;
                    ConversionTimes.add(durations.get(s), times[first] - previous, 1);
                    previous = times[first];
                }
            }
            return pruned ? encode(steps) : entry;
        });
        gone.forEach(actors::remove);
        List<FunnelStep> out = new ArrayList<>(lastStep);
        List<StepTimes> times = new ArrayList<>();
        for (int s = 1; s <= lastStep; s++) {
            double conversion = s == 1 ? 1.0 : users[s - 1] == 0 ? 0 : (double) users[s] / users[s - 1];
            double fromStart = users[1] == 0 ? 0 : (double) users[s] / users[1];
            out.add(new FunnelStep(s, users[s], conversion, fromStart, s == 1 ? null
                    : ConversionTimes.lowerMedian(durations.get(s))));
            if (s > 1 && !durations.get(s).isEmpty()) {
                times.add(new StepTimes(s, durations.get(s)));
            }
        }
        return new Counted(out, times);
    }

    record Counted(List<FunnelStep> steps, List<StepTimes> timesToConvert) {
    }

    /** The per-step time arrays of an actor's entry ({@code null}: none), at least {@code minSteps} long. */
    static int[][] decode(int[] entry, int minSteps) {
        List<int[]> steps = new ArrayList<>();
        int i = 0;
        while (entry != null && i < entry.length) {
            int count = entry[i++];
            steps.add(Arrays.copyOfRange(entry, i, i + count));
            i += count;
        }
        while (steps.size() < minSteps) {
            steps.add(new int[0]);
        }
        return steps.toArray(new int[0][]);
    }

    static int[] encode(int[][] steps) {
        int last = steps.length;
        while (last > 0 && steps[last - 1].length == 0) {
            last--;
        }
        int size = last;
        for (int s = 0; s < last; s++) {
            size += steps[s].length;
        }
        int[] entry = new int[size];
        int i = 0;
        for (int s = 0; s < last; s++) {
            entry[i++] = steps[s].length;
            System.arraycopy(steps[s], 0, entry, i, steps[s].length);
            i += steps[s].length;
        }
        return entry;
    }
}
