package dev.northstar.signals.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * State files, one per partition, written the way Kafka's own {@code OffsetCheckpoint} writes: to a
 * temporary file, fsync, atomic rename over the current file, fsync of the directory. The previous
 * generation is kept as {@code .prev}, so a crash between the renames, or a current file found
 * corrupt, still leaves a consistent (older) state to start from.
 *
 * <p>A file is one header line of JSON, then the state bytes:
 * <pre>{"format":1,"topic":"northstar.events.v1","partition":3,"nextOffset":1234,"length":5678,"crc32c":91011}
 * {...state...}</pre>
 * The checksum covers the offset and the state. Written and read in chunks, so a state may pass the
 * 2 GiB of one array. A missing, zero-length, truncated, corrupt or
 * wrong-version file is detected, reported to {@code onCorrupt}, and never loaded.
 */
public final class JsonFileStore implements PartitionStore {

    public static final int FORMAT = 1;
    private static final Logger LOG = Logger.getLogger(JsonFileStore.class);

    private final Path directory;
    private final Files2 files;
    private final Consumer<String> onCorrupt;

    /**
     * @param directory where the files live (created if missing)
     * @param onCorrupt told the reason each time a file is found unusable (a metric counts it)
     */
    public JsonFileStore(Path directory, Consumer<String> onCorrupt) {
        this(directory, Files2.DEFAULT, onCorrupt);
    }

    JsonFileStore(Path directory, Files2 files, Consumer<String> onCorrupt) {
        this.directory = directory;
        this.files = files;
        this.onCorrupt = onCorrupt;
    }

    /** How the store writes a new file; replaced in tests to simulate a full disk. */
    interface Files2 {
        Sink create(Path path) throws IOException;

        Files2 DEFAULT = path -> {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new Sink() {
                @Override
                public void write(ByteBuffer buffer) throws IOException {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }

                @Override
                public void sync() throws IOException {
                    channel.force(true);
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        };
    }

    /** A file being written. */
    interface Sink extends AutoCloseable {
        void write(ByteBuffer buffer) throws IOException;

        /** fsync: the bytes are on disk when this returns. */
        void sync() throws IOException;

        @Override
        void close() throws IOException;
    }

    Path current(TopicPartition partition) {
        return directory.resolve(partition.topic() + "-" + partition.partition() + ".json");
    }

    Path previous(TopicPartition partition) {
        return directory.resolve(partition.topic() + "-" + partition.partition() + ".json.prev");
    }

    @Override
    public Optional<Checkpoint> load(TopicPartition partition) {
        Optional<Checkpoint> current = read(partition, current(partition));
        return current.isPresent() ? current : read(partition, previous(partition));
    }

    private Optional<Checkpoint> read(TopicPartition partition, Path file) {
        // Streamed: the header line, then the state into chunks (a state may pass 2 GiB).
        byte[] headerLine;
        StateBytes state;
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            headerLine = readLine(in);
            if (headerLine == null) {
                return corrupt(file, "zero-length");
            }
            if (headerLine.length > 0 && headerLine[headerLine.length - 1] != '\n') {
                return corrupt(file, "truncated: no header line");
            }
            state = StateBytes.read(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return corrupt(file, "unreadable: " + e.getMessage());
        }
        JsonNode header;
        try {
            header = NorthstarJson.mapper().readTree(Arrays.copyOf(headerLine, headerLine.length - 1));
        } catch (IOException e) {
            return corrupt(file, "corrupt header");
        }
        if (header == null || header.path("format").asInt(-1) != FORMAT) {
            return corrupt(file, "wrong format version " + (header == null ? "?" : header.path("format")));
        }
        if (!partition.topic().equals(header.path("topic").asText()) || header.path("partition").asInt(-1) != partition.partition()) {
            return corrupt(file, "written for another partition");
        }
        long nextOffset = header.path("nextOffset").asLong(-1);
        long length = header.path("length").asLong(-1);
        if (nextOffset < 0 || length != state.length()) {
            return corrupt(file, "truncated: " + state.length() + " of " + length + " state bytes");
        }
        if (header.path("crc32c").asLong(-1) != checksum(nextOffset, state)) {
            return corrupt(file, "checksum mismatch");
        }
        return Optional.of(new Checkpoint(nextOffset, state));
    }

    /** The bytes up to and including the next newline (or to the end); null at the end of the stream. */
    private static byte[] readLine(java.io.InputStream in) throws IOException {
        var line = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private Optional<Checkpoint> corrupt(Path file, String reason) {
        LOG.warnf("State file %s is unusable (%s); the state will be rebuilt from the log", file, reason);
        onCorrupt.accept(reason);
        return Optional.empty();
    }

    @Override
    public void save(TopicPartition partition, Checkpoint checkpoint) throws IOException {
        Files.createDirectories(directory);
        byte[] header = ("{\"format\":" + FORMAT + ",\"topic\":" + NorthstarJson.mapper().writeValueAsString(partition.topic())
                + ",\"partition\":" + partition.partition() + ",\"nextOffset\":" + checkpoint.nextOffset()
                + ",\"length\":" + checkpoint.state().length() + ",\"crc32c\":" + checksum(checkpoint.nextOffset(),
                checkpoint.state()) + "}\n").getBytes(StandardCharsets.UTF_8);
        Path current = current(partition);
        Path temp = directory.resolve(current.getFileName() + ".tmp");
        try (Sink sink = files.create(temp)) {
            sink.write(ByteBuffer.wrap(header));
            for (byte[] chunk : checkpoint.state().chunks()) {
                sink.write(ByteBuffer.wrap(chunk));
            }
            sink.sync();
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (Files.exists(current)) {
            move(current, previous(partition));
        }
        move(temp, current);
        syncDirectory();
    }

    @Override
    public boolean durable() {
        return true;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename is still atomic there.
            LOG.debugf("Could not fsync directory %s: %s", directory, e.getMessage());
        }
    }

    static long checksum(long nextOffset, StateBytes state) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(Long.BYTES).putLong(0, nextOffset));
        state.chunks().forEach(crc::update);
        return crc.getValue();
    }
}
