package dev.northstar.signals.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A saved state, in chunks of at most {@value #CHUNK} bytes rather than one array: a state may be larger
 * than the 2 GiB one Java array holds (a project of tens of millions of people on one partition).
 * Written by streaming a ledger into {@link #output()}, read back as one {@link #inputStream()}.
 */
public final class StateBytes {

    static final int CHUNK = 1 << 20;

    private final List<byte[]> chunks;
    private final long length;

    private StateBytes(List<byte[]> chunks) {
        this.chunks = Collections.unmodifiableList(chunks);
        this.length = chunks.stream().mapToLong(c -> c.length).sum();
    }

    /** The bytes of one array (tests, small states). */
    public static StateBytes of(byte[] bytes) {
        return new StateBytes(List.of(bytes.clone()));
    }

    public long length() {
        return length;
    }

    /** The chunks, in order (each at most {@value #CHUNK} bytes). */
    public List<byte[]> chunks() {
        return chunks;
    }

    public InputStream inputStream() {
        List<InputStream> streams = new ArrayList<>(chunks.size());
        chunks.forEach(c -> streams.add(new ByteArrayInputStream(c)));
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    /** All of it as one array; only for states known to be small (tests). */
    public byte[] toByteArray() {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a state of " + length + " bytes does not fit one array");
        }
        byte[] out = new byte[(int) length];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, out, at, chunk.length);
            at += chunk.length;
        }
        return out;
    }

    /** Everything {@code in} has left, in chunks. */
    public static StateBytes read(InputStream in) throws IOException {
        Output out = output();
        in.transferTo(out);
        return out.bytes();
    }

    public static Output output() {
        return new Output();
    }

    /** Collects what is written into chunks; {@link #bytes()} when done. */
    public static final class Output extends OutputStream {
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] current = new byte[8192];
        private int used;

        @Override
        public void write(int b) {
            if (used == current.length) {
                grow();
            }
            current[used++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                if (used == current.length) {
                    grow();
                }
                int n = Math.min(length, current.length - used);
                System.arraycopy(bytes, offset, current, used, n);
                used += n;
                offset += n;
                length -= n;
            }
        }

        /** Doubles the current chunk up to {@link #CHUNK}, then starts a new one. */
        private void grow() {
            if (current.length < CHUNK) {
                current = java.util.Arrays.copyOf(current, Math.min(CHUNK, current.length * 2));
            } else {
                chunks.add(current);
                current = new byte[CHUNK];
                used = 0;
            }
        }

        public StateBytes bytes() {
            List<byte[]> all = new ArrayList<>(chunks);
            if (used > 0) {
                all.add(java.util.Arrays.copyOf(current, used));
            }
            return new StateBytes(all);
        }
    }
}
