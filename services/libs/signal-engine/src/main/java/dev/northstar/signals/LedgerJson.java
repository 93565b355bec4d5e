package dev.northstar.signals;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.northstar.model.json.NorthstarJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * Ledgers saved as JSON for the {@code json} store: their fields, without getters (a ledger's
 * fields are its state; its methods are its behaviour). A service whose ledger holds a structure
 * Jackson cannot write field by field adds a module for it.
 */
public final class LedgerJson {

    private LedgerJson() {
    }

    /**
     * The codec of ledgers of class {@code type}: {@code empty} makes a new one, and a saved one is
     * read back field by field (so {@code type} needs a no-argument constructor).
     */
    public static <I, T, L extends Ledger<I, T>> Ledger.Codec<I, T> codec(Class<L> type, Supplier<L> empty,
                                                                         Module... modules) {
        return codec(type, empty, restored -> restored, modules);
    }

    /** What is done with a ledger just read back: checked (its saved form) and given its configuration. */
    @FunctionalInterface
    public interface Restored<L> {
        /** The ledger to use; throws when the saved state cannot be used (the partition is then rebuilt). */
        L check(L restored) throws IOException;
    }

    /**
     * As {@link #codec(Class, Supplier, Module...)}, passing every ledger read back through
     * {@code restored} (a ledger whose saved form changed refuses an older one there).
     */
    public static <I, T, L extends Ledger<I, T>> Ledger.Codec<I, T> codec(Class<L> type, Supplier<L> empty,
                                                                         Restored<L> restored, Module... modules) {
        ObjectMapper mapper = mapper(modules);
        return new Ledger.Codec<>() {
            @Override
            public Ledger<I, T> empty() {
                return empty.get();
            }

            @Override
            public byte[] save(Ledger<I, T> ledger) {
                try {
                    return mapper.writeValueAsBytes(ledger);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Ledger<I, T> restore(byte[] bytes) throws IOException {
                return restored.check(mapper.readValue(bytes, type));
            }

            @Override
            public dev.northstar.signals.store.StateBytes saveState(Ledger<I, T> ledger) {
                var out = dev.northstar.signals.store.StateBytes.output();
                try {
                    mapper.writeValue(out, ledger);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return out.bytes();
            }

            @Override
            public Ledger<I, T> restoreState(dev.northstar.signals.store.StateBytes state) throws IOException {
                try (var in = state.inputStream()) {
                    return restored.check(mapper.readValue(in, type));
                }
            }
        };
    }

    /** The mapper the codecs use: fields only, no size limits, the shared mapper's other settings. */
    public static ObjectMapper mapper(Module... modules) {
        ObjectMapper mapper = NorthstarJson.configure(JsonMapper.builder().build());
        mapper.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
        mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        mapper.registerModules(modules);
        // State can be far larger than an incoming document.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(-1).maxStringLength(Integer.MAX_VALUE).build());
        return mapper;
    }
}
