package dev.northstar.ingest.domain;

import dev.northstar.platform.limits.TokenBucket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LimitsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBucketLetsABurstThroughThenRefillsAtItsRate() {
        TokenBucket bucket = new TokenBucket(10, 2, 0);

        assertThat(bucket.take(10, 0)).isEmpty();
        assertThat(bucket.take(1, 0)).contains(Duration.ofMillis(500));
        assertThat(bucket.take(1, SECOND / 2)).isEmpty();
        assertThat(bucket.take(4, SECOND / 2)).contains(Duration.ofSeconds(2));
        assertThat(bucket.take(4, SECOND / 2 + 2 * SECOND)).isEmpty();
    }

    @Test
    void aBucketNeverHoldsMoreThanItsCapacity() {
        TokenBucket bucket = new TokenBucket(5, 100, 0);

        assertThat(bucket.take(6, 3600 * SECOND)).isPresent();
        assertThat(bucket.take(5, 3600 * SECOND)).isEqualTo(Optional.empty());
    }

    @Test
    void inFlightRoomIsReservedAndGivenBack() {
        InFlightLimit limit = new InFlightLimit(100);

        assertThat(limit.tryAcquire(60)).isTrue();
        assertThat(limit.tryAcquire(60)).isFalse();
        assertThat(limit.tryAcquire(40)).isTrue();
        limit.release(60);
        assertThat(limit.available()).isEqualTo(60);
        assertThat(limit.tryAcquire(60)).isTrue();
    }
}
