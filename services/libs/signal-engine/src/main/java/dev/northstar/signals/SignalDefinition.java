package dev.northstar.signals;

/**
 * What a signal service is to the engine: how it reads its input records, and how its ledgers are
 * made, saved and restored. A service subclasses it once, as a bean; the engine does the rest
 * (input listener, state per partition, store, dead letters, publishing to the topic of its
 * {@code snapshots} channel).
 *
 * @param <I> what its ledger counts ({@link InputReader#productEvents()} for the events topic)
 * @param <T> the snapshot record of the service's output topic
 */
public abstract class SignalDefinition<I, T> {

    private final InputReader<I> input;
    private final Ledger.Codec<I, T> ledgers;

    protected SignalDefinition(InputReader<I> input, Ledger.Codec<I, T> ledgers) {
        this.input = input;
        this.ledgers = ledgers;
    }

    public final InputReader<I> input() {
        return input;
    }

    public final Ledger.Codec<I, T> ledgers() {
        return ledgers;
    }
}
