package dev.northstar.signals.store;

import dev.northstar.signals.store.PartitionStore.Checkpoint;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFileStoreTest {

    private static final TopicPartition P = new TopicPartition("northstar.events.v1", 3);

    @TempDir
    Path dir;

    private final List<String> unusable = new ArrayList<>();

    private JsonFileStore store() {
        return new JsonFileStore(dir, unusable::add);
    }

    private static Checkpoint checkpoint(long offset, String state) {
        return new Checkpoint(offset, state.getBytes(StandardCharsets.UTF_8));
    }

    private static String state(Optional<Checkpoint> loaded) {
        return new String(loaded.orElseThrow().state().toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void givesBackWhatWasSavedWithItsOffsetAndKeepsThePreviousGeneration() throws IOException {
        JsonFileStore store = store();
        assertThat(store.load(P)).isEmpty();

        store.save(P, checkpoint(10, "{\"n\":1}"));
        store.save(P, checkpoint(25, "{\"n\":2}"));

        assertThat(store.load(P)).hasValueSatisfying(c -> assertThat(c.nextOffset()).isEqualTo(25));
        assertThat(state(store.load(P))).isEqualTo("{\"n\":2}");
        assertThat(Files.readString(store.previous(P))).endsWith("{\"n\":1}");
        assertThat(Files.readString(store.current(P))).startsWith("{\"format\":1,");
        assertThat(store.load(new TopicPartition("northstar.events.v1", 4))).isEmpty();
        assertThat(unusable).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aZeroLengthCurrentFileIsDetectedAndThePreviousGenerationUsed() throws IOException {
        JsonFileStore store = store();
        store.save(P, checkpoint(10, "{\"n\":1}"));
        store.save(P, checkpoint(25, "{\"n\":2}"));
        Files.write(store.current(P), new byte[0]);

        assertThat(store.load(P)).hasValueSatisfying(c -> assertThat(c.nextOffset()).isEqualTo(10));
        assertThat(unusable).containsExactly("zero-length");
    }

    @Test
    void truncatedFlippedWrongVersionAndForeignFilesAreAllRefused() throws IOException {
        JsonFileStore store = store();
        store.save(P, checkpoint(25, "{\"users\":[\"a\",\"b\",\"c\"]}"));
        byte[] good = Files.readAllBytes(store.current(P));
        String text = new String(good, StandardCharsets.UTF_8);

        List<byte[]> bad = List.of(
                java.util.Arrays.copyOf(good, good.length - 3),                                   // truncated state
                java.util.Arrays.copyOf(good, 20),                                                // cut in the header
                flip(good, good.length - 2),                                                      // one byte changed
                text.replace("\"format\":1", "\"format\":2").getBytes(StandardCharsets.UTF_8),   // a newer format
                text.replace("\"nextOffset\":25", "\"nextOffset\":26").getBytes(StandardCharsets.UTF_8), // offset edited
                text.replace("\"partition\":3", "\"partition\":4").getBytes(StandardCharsets.UTF_8),    // another partition's
                "not json at all\n{}".getBytes(StandardCharsets.UTF_8));
        for (byte[] content : bad) {
            Files.write(store.current(P), content);
            assertThat(store.load(P)).as(new String(content, StandardCharsets.UTF_8)).isEmpty();
        }
        assertThat(unusable).hasSize(bad.size());
    }

    @Test
    void aFullDiskKeepsThePreviousStateIntactAndLeavesNoTemporaryFile() throws IOException {
        store().save(P, checkpoint(10, "{\"n\":1}"));
        // The disk fills up after 40 bytes of the next file.
        JsonFileStore full = new JsonFileStore(dir, path -> new FullDisk(path, 40), unusable::add);

        assertThatThrownBy(() -> full.save(P, checkpoint(99, "{\"n\":2,\"padding\":\"" + "x".repeat(100) + "\"}")))
                .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");

        assertThat(full.load(P)).hasValueSatisfying(c -> assertThat(c.nextOffset()).isEqualTo(10));
        assertThat(state(full.load(P))).isEqualTo("{\"n\":1}");
        assertThat(unusable).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aCrashBetweenTheRenamesStillLeavesTheOlderStateToStartFrom() throws IOException {
        JsonFileStore store = store();
        store.save(P, checkpoint(10, "{\"n\":1}"));
        store.save(P, checkpoint(25, "{\"n\":2}"));
        // As if the process died after moving current to .prev and before moving .tmp to current.
        Files.delete(store.current(P));

        assertThat(store.load(P)).hasValueSatisfying(c -> assertThat(c.nextOffset()).isEqualTo(10));
    }

    private static byte[] flip(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x01;
        return copy;
    }

    /** A file on a disk with {@code room} bytes left. */
    private static final class FullDisk implements JsonFileStore.Sink {
        private final JsonFileStore.Sink real;
        private long room;

        FullDisk(Path path, long room) throws IOException {
            this.real = JsonFileStore.Files2.DEFAULT.create(path);
            this.room = room;
        }

        @Override
        public void write(ByteBuffer buffer) throws IOException {
            if (buffer.remaining() > room) {
                ByteBuffer part = buffer.slice().limit((int) room);
                real.write(part);
                room = 0;
                throw new IOException("No space left on device");
            }
            room -= buffer.remaining();
            real.write(buffer);
        }

        @Override
        public void sync() throws IOException {
            real.sync();
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }

    @Test
    void aStateOfManyChunksIsWrittenAndReadInChunksAndChecked() throws IOException {
        // Streamed the way a ledger is saved: never one array of the whole state.
        var out = StateBytes.output();
        java.util.Random random = new java.util.Random(5);
        byte[] expected = new byte[StateBytes.CHUNK * 3 + 12_345];
        random.nextBytes(expected);
        for (int at = 0; at < expected.length; at += 7_777) {
            out.write(expected, at, Math.min(7_777, expected.length - at));
        }
        StateBytes state = out.bytes();
        assertThat(state.chunks()).hasSize(4).allSatisfy(c -> assertThat(c.length).isLessThanOrEqualTo(StateBytes.CHUNK));

        JsonFileStore store = store();
        store.save(P, new Checkpoint(77, state));
        Checkpoint loaded = store.load(P).orElseThrow();

        assertThat(loaded.nextOffset()).isEqualTo(77);
        assertThat(loaded.state().length()).isEqualTo(expected.length);
        assertThat(loaded.state().inputStream().readAllBytes()).isEqualTo(expected);
        assertThat(unusable).isEmpty();

        // One flipped byte deep inside: the checksum refuses it, and the previous generation is none.
        byte[] file = Files.readAllBytes(store.current(P));
        file[file.length - StateBytes.CHUNK - 100] ^= 1;
        Files.write(store.current(P), file);
        assertThat(store.load(P)).isEmpty();
        assertThat(unusable).containsExactly("checksum mismatch");
    }
}
