package dev.northstar.signals;

import dev.northstar.model.event.EventType;
import dev.northstar.model.event.ProductEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerJsonTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final Ledger.Codec<ProductEvent, Long> codec = SignalStateTest.UsersLedger.CODEC;

    @Test
    void stateSavedByAnOlderVersionWithAFieldSinceRemovedStillRestores() throws Exception {
        var ledger = codec.empty();
        ProductEvent event = ProductEvent.builder().eventId("e1").type(EventType.FEATURE_USED).projectId("a")
                .userId("u1").feature("export").occurredAt(NOW).receivedAt(NOW).build();
        ledger.record(event);
        String saved = new String(codec.save(ledger), StandardCharsets.UTF_8);
        // As adoption and friction saved their state before the engine took over counting duplicates.
        String older = "{\"duplicates\":3," + saved.substring(1);

        var restored = LedgerContract.assertRestoresTheSameState(codec, codec.restore(older.getBytes(StandardCharsets.UTF_8)),
                event, NOW);

        assertThat(restored.record(event)).isFalse();
    }
}
