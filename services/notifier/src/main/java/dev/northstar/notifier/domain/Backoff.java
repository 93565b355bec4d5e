package dev.northstar.notifier.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: the wait doubles from {@code initial} up to {@code max},
 * each drawn between half and all of it (jitter, so that receivers coming back are not hit by every
 * sender at once), and no attempt later than {@code giveUpAfter} from the alert.
 */
public record Backoff(Duration initial, Duration max, Duration giveUpAfter) {

    /**
     * The next attempt after {@code attempts} failed ones, or null when the delivery is given up.
     *
     * @param random a uniform draw in [0, 1)
     */
    public Instant next(Instant createdAt, int attempts, Instant now, DoubleSupplier random) {
        double full = Math.min(max.toMillis(), initial.toMillis() * Math.pow(2, Math.max(0, attempts - 1)));
        long wait = (long) (full * (0.5 + 0.5 * random.getAsDouble()));
        Instant next = now.plusMillis(wait);
        Instant deadline = createdAt.plus(giveUpAfter);
        if (!now.isBefore(deadline)) {
            return null;
        }
        return next.isAfter(deadline) ? deadline : next;
    }
}
