package dev.northstar.adoption.compact;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.northstar.adoption.adapter.out.store.BitmapJson;
import dev.northstar.signals.LedgerJson;
import dev.northstar.signals.compact.UserIds;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompactStructuresTest {

    /** The structures saved as the adoption ledger's codec saves them. */
    private static final ObjectMapper STATE = LedgerJson.mapper(BitmapJson.MODULE);

    private static byte[] write(Object value) throws IOException {
        return STATE.writeValueAsBytes(value);
    }

    private static <T> T read(byte[] bytes, Class<T> type) throws IOException {
        return STATE.readValue(bytes, type);
    }

    @Test
    void userIdsNumberEachDistinctIdOnceInArrivalOrder() {
        UserIds ids = new UserIds();

        assertThat(ids.number("ann")).isZero();
        assertThat(ids.number("bob")).isEqualTo(1);
        assertThat(ids.number("ann")).isZero();
        assertThat(ids.number("Ann")).as("ids are case-sensitive").isEqualTo(2);
        assertThat(ids.number("ännchen ☃")).isEqualTo(3);
        assertThat(ids.number("")).isEqualTo(4);
        assertThat(ids.size()).isEqualTo(5);
    }

    @Test
    void userIdsAgreeWithAHashMapOnManyIds() {
        UserIds ids = new UserIds();
        Map<String, Integer> expected = new HashMap<>();
        Random random = new Random(11);
        for (int i = 0; i < 300_000; i++) {
            String id = "user-" + random.nextInt(120_000);
            int number = ids.number(id);
            Integer known = expected.putIfAbsent(id, expected.size());
            assertThat(number).as(id).isEqualTo(known == null ? expected.size() - 1 : known);
        }
        assertThat(ids.size()).isEqualTo(expected.size());
    }

    @Test
    void userIdsSurviveASaveWithTheirNumbers() throws IOException {
        UserIds ids = new UserIds();
        for (int i = 0; i < 5000; i++) {
            ids.number("u" + i);
        }
        ids.number("\"quoted\" \\ and ünïcode");

        UserIds restored = read(write(ids), UserIds.class);

        assertThat(restored.size()).isEqualTo(5001);
        assertThat(restored.number("u1234")).isEqualTo(1234);
        assertThat(restored.number("\"quoted\" \\ and ünïcode")).isEqualTo(5000);
        assertThat(restored.number("new")).isEqualTo(5001);
    }

    @Test
    void latestTimesKeepTheLatestTimePerUserWhateverTheArrivalOrder() {
        LatestTimes latest = new LatestTimes();

        assertThat(latest.update(7, 1_000)).isTrue();
        assertThat(latest.update(7, 500)).as("an older time arriving late").isFalse();
        assertThat(latest.update(7, 2_000)).isFalse();
        assertThat(latest.update(0, 10)).isTrue();

        assertThat(latest.latest(7)).isEqualTo(2_000);
        assertThat(latest.latest(0)).isEqualTo(10);
        assertThat(latest.latest(8)).isEqualTo(Long.MIN_VALUE);
        assertThat(latest.size()).isEqualTo(2);
    }

    @Test
    void countAfterIsStrictAndAgreesWithAMapOnManyUsers() {
        LatestTimes latest = new LatestTimes();
        Map<Integer, Long> expected = new HashMap<>();
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            int user = random.nextInt(50_000);
            long time = random.nextInt(1_000_000);
            latest.update(user, time);
            expected.merge(user, time, Math::max);
        }
        for (long since : new long[] {-1, 0, 250_000, 999_999, 1_000_000}) {
            long count = expected.values().stream().filter(t -> t > since).count();
            assertThat(latest.countAfter(since)).as("after %d", since).isEqualTo(count);
        }
        assertThat(latest.size()).isEqualTo(expected.size());
        long edge = expected.get(expected.keySet().iterator().next());
        long strictlyAfter = expected.values().stream().filter(t -> t > edge).count();
        assertThat(latest.countAfter(edge)).isEqualTo(strictlyAfter);
    }

    @Test
    void latestTimesSurviveASave() throws IOException {
        LatestTimes latest = new LatestTimes();
        for (int user = 0; user < 1000; user++) {
            latest.update(user, 1_700_000_000_000L + user);
        }

        LatestTimes restored = read(write(latest), LatestTimes.class);

        assertThat(restored.size()).isEqualTo(1000);
        assertThat(restored.latest(999)).isEqualTo(1_700_000_000_999L);
        assertThat(restored.countAfter(1_700_000_000_499L)).isEqualTo(500);
    }

    @Test
    void bitmapsAreSavedInRoaringsPortableFormAndGarbageIsRefused() throws IOException {
        org.roaringbitmap.RoaringBitmap bitmap = org.roaringbitmap.RoaringBitmap.bitmapOf(1, 5, 70_000, 1_000_000);
        bitmap.add(200L, 5_000L);

        byte[] saved = write(bitmap);
        org.roaringbitmap.RoaringBitmap restored = read(saved, org.roaringbitmap.RoaringBitmap.class);

        assertThat(restored).isEqualTo(bitmap);
        assertThat(restored.getCardinality()).isEqualTo(4 + 4_800);
        assertThatThrownBy(() -> read("\"AAAA\"".getBytes(), org.roaringbitmap.RoaringBitmap.class))
                .isInstanceOf(IOException.class);
    }

    @Test
    void latestTimesRefuseMismatchedSavedArrays() {
        assertThatThrownBy(() -> read("{\"users\":[1,2],\"times\":[5]}".getBytes(), LatestTimes.class))
                .isInstanceOf(IOException.class);
    }

    @Test
    void userIdsAgreeWithAHashMapWhenAsciiAndOtherIdsMix() {
        UserIds ids = new UserIds();
        Map<String, Integer> expected = new HashMap<>();
        Random random = new Random(17);
        String[] shapes = {"user-%d", "üser-%d", "%d☃", "u\u007f%d", "\u0080%d", "%d"};
        for (int i = 0; i < 200_000; i++) {
            String id = String.format(shapes[random.nextInt(shapes.length)], random.nextInt(20_000));
            int number = ids.number(id);
            Integer known = expected.putIfAbsent(id, expected.size());
            assertThat(number).as(id).isEqualTo(known == null ? expected.size() - 1 : known);
        }
        var saved = ids.saved();
        assertThat(saved).hasSize(expected.size());
        expected.forEach((id, number) -> assertThat(saved.get(number)).isEqualTo(id));
    }

    @Test
    void denseLatestTimesAgreeWithTheMapFormIncludingTimesBefore1970() throws IOException {
        DenseLatestTimes dense = new DenseLatestTimes();
        LatestTimes sparse = new LatestTimes();
        Random random = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            int user = random.nextInt(40_000);
            long time = random.nextInt(2_000_000) - 1_000_000L;
            assertThat(dense.update(user, time)).isEqualTo(sparse.update(user, time));
        }
        assertThat(dense.size()).isEqualTo(sparse.size());
        assertThat(dense.latest(40_001)).isEqualTo(Long.MIN_VALUE);
        for (long since : new long[] {Long.MIN_VALUE + 1, -1_000_001, -1, 0, 1, 500_000, 999_999}) {
            assertThat(dense.countAfter(since)).as("after %d", since).isEqualTo(sparse.countAfter(since));
        }
        for (int user = 0; user < 40_000; user += 97) {
            assertThat(dense.latest(user)).isEqualTo(sparse.latest(user));
        }

        // Each reads what the other saved: the saved form is the same.
        DenseLatestTimes fromSparse = read(write(sparse), DenseLatestTimes.class);
        LatestTimes fromDense = read(write(dense), LatestTimes.class);
        assertThat(fromSparse.countAfter(0)).isEqualTo(sparse.countAfter(0));
        assertThat(fromDense.countAfter(-1)).isEqualTo(dense.countAfter(-1));
        assertThat(fromSparse.latest(1234)).isEqualTo(sparse.latest(1234));
        assertThat(fromDense.size()).isEqualTo(dense.size());
    }
}
