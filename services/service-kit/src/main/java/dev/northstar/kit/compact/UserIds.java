package dev.northstar.kit.compact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A dictionary of one project's user ids: each distinct id gets a dense int (0, 1, 2, ...) that
 * bitmaps and primitive arrays can hold instead of the string. Exact: ids are compared byte for
 * byte. The ids are kept as UTF-8 in one byte array (about {@code length + 12} bytes each, against
 * ~60 for a String and ~100 with a map entry). Not thread-safe.
 */
public final class UserIds {

    // Transient: the saved form is the list of ids (@JsonValue), not these arrays.
    private transient byte[] bytes = new byte[256];
    /** {@code starts[i]} is where id i begins in {@link #bytes}; {@code starts[size]} where the next one will. */
    private transient int[] starts = new int[17];
    private transient int size;
    /** Open addressing: {@code number + 1} per used slot, 0 when free. */
    private transient int[] table = new int[32];

    public UserIds() {
    }

    /** Reads the ids written by {@link #saved()}; their numbers are their positions. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static UserIds restore(List<String> ids) {
        UserIds dictionary = new UserIds();
        for (String id : ids) {
            dictionary.number(id);
        }
        return dictionary;
    }

    /** The ids in number order: what the state store keeps. */
    @JsonValue
    public List<String> saved() {
        String[] out = new String[size];
        for (int i = 0; i < size; i++) {
            out[i] = new String(bytes, starts[i], starts[i + 1] - starts[i], StandardCharsets.UTF_8);
        }
        return Arrays.asList(out);
    }

    /** The number of {@code userId}, given it now if it had none. */
    public int number(String userId) {
        byte[] key = userId.getBytes(StandardCharsets.UTF_8);
        int hash = hash(key);
        int mask = table.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int entry = table[i];
            if (entry == 0) {
                return add(key, i);
            }
            int n = entry - 1;
            if (Arrays.equals(bytes, starts[n], starts[n + 1], key, 0, key.length)) {
                return n;
            }
        }
    }

    /** How many distinct ids have a number. */
    public int size() {
        return size;
    }

    private int add(byte[] key, int slot) {
        int n = size;
        int start = starts[n];
        if (start + key.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, start + key.length));
        }
        System.arraycopy(key, 0, bytes, start, key.length);
        if (n + 2 > starts.length) {
            starts = Arrays.copyOf(starts, starts.length * 2);
        }
        starts[n + 1] = start + key.length;
        table[slot] = n + 1;
        size++;
        if (size * 2 > table.length) {
            rehash();
        }
        return n;
    }

    private void rehash() {
        int[] grown = new int[table.length * 2];
        int mask = grown.length - 1;
        for (int n = 0; n < size; n++) {
            int i = hash(bytes, starts[n], starts[n + 1]) & mask;
            while (grown[i] != 0) {
                i = (i + 1) & mask;
            }
            grown[i] = n + 1;
        }
        table = grown;
    }

    private static int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    private static int hash(byte[] data, int from, int to) {
        int h = 0x811c9dc5;
        for (int i = from; i < to; i++) {
            h = (h ^ data[i]) * 0x01000193;
        }
        // MurmurHash3's 32-bit finalizer: every input bit reaches the low bits the table uses.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
