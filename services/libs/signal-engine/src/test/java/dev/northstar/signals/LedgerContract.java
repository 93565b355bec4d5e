package dev.northstar.signals;

import java.io.IOException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every ledger must do for the engine, checked the same way in every signal service's tests:
 * saved and restored by its codec (as the json store does on a restart), it publishes the same
 * snapshots and still knows what it counted.
 */
public final class LedgerContract {

    private LedgerContract() {
    }

    /**
     * Reads state an earlier version saved (a file kept on the test class path, never rewritten) and
     * checks it as {@link #assertRestoresTheSameState} does: what a running deployment has on disk
     * must still restore after an upgrade.
     */
    public static <I, T> Ledger<I, T> assertReadsSavedState(Ledger.Codec<I, T> codec, String resource, I seen,
                                                            Instant now) throws IOException {
        byte[] saved;
        try (var in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the test class path").isNotNull();
            saved = in.readAllBytes();
        }
        return assertRestoresTheSameState(codec, codec.restore(saved), seen, now);
    }

    /**
     * Restores {@code ledger} through {@code codec} and checks it against the original.
     *
     * @param seen an input {@code ledger} has counted: the restored ledger must refuse it as a duplicate
     * @return the restored ledger, for the service's own further checks
     */
    public static <I, T> Ledger<I, T> assertRestoresTheSameState(Ledger.Codec<I, T> codec, Ledger<I, T> ledger,
                                                                 I seen, Instant now) throws IOException {
        ledger.markAllChanged();
        var before = ledger.drainChanged(now);

        Ledger<I, T> restored = codec.restore(codec.save(ledger));
        restored.markAllChanged();

        assertThat(restored.drainChanged(now)).as("snapshots after a restore").containsExactlyInAnyOrderElementsOf(before);
        assertThat(restored.record(seen)).as("a duplicate after the restore").isFalse();
        return restored;
    }
}
