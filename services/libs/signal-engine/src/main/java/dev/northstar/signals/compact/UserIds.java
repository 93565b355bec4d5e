package dev.northstar.signals.compact;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dictionary of one project's user ids: each distinct id gets a dense int (0, 1, 2, ...) that
 * bitmaps and primitive arrays can hold instead of the string. Exact: ids are compared byte for
 * byte. The ids are kept as UTF-8 in one byte array, each entry {@code [number: 4 bytes][length:
 * 2 bytes][id]}, so a lookup touches the hash table and one place in the array (about
 * {@code length + 14} bytes per id, against ~60 for a String and ~100 with a map entry). An
 * ASCII id (the usual kind) is looked up without encoding it. Not thread-safe.
 *
 * <p>The table's hash is seeded per process ({@link #PROCESS_SEED}, random at start): ids are chosen
 * by whoever sends events, and ids crafted to collide under a fixed hash would otherwise make every
 * lookup of a project walk one long probe chain (hash flooding). The seed is never saved: the
 * saved form is the ids, and the table is rebuilt from them.
 */
public final class UserIds {

    /** This process's hash seed. */
    static final int PROCESS_SEED = new java.security.SecureRandom().nextInt();

    private static final int HEADER = 6;
    /** Longest id in UTF-8 bytes that the two length bytes hold (actors are at most 128 characters). */
    static final int MAX_ID_BYTES = 0xFFFF;

    // Transient: the saved form is the list of ids (@JsonValue), not these arrays.
    private transient byte[] entries = new byte[256];
    private transient int end;
    private transient int size;
    /** Open addressing: {@code offset + 1} of the id's entry per used slot, 0 when free. */
    private transient int[] table = new int[32];
    private final transient int seed;

    public UserIds() {
        this(PROCESS_SEED);
    }

    /** With a given hash seed (tests: 0 is the unseeded hash). */
    UserIds(int seed) {
        this.seed = seed;
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
        List<String> out = new ArrayList<>(size);
        for (int at = 0; at < end; ) {
            int length = length(at);
            out.add(new String(entries, at + HEADER, length, StandardCharsets.UTF_8));
            at += HEADER + length;
        }
        return out;
    }

    /** The number of {@code userId}, given it now if it had none. */
    public int number(String userId) {
        int n = userId.length();
        int h = FNV_BASIS ^ seed;
        for (int i = 0; i < n; i++) {
            char c = userId.charAt(i);
            if (c >= 0x80) {
                return number(userId.getBytes(StandardCharsets.UTF_8));
            }
            h = (h ^ (byte) c) * FNV_PRIME;
        }
        int mask = table.length - 1;
        for (int i = finish(h ^ seed) & mask; ; i = (i + 1) & mask) {
            int entry = table[i];
            if (entry == 0) {
                return add(userId.getBytes(StandardCharsets.ISO_8859_1), i);
            }
            int at = entry - 1;
            if (length(at) == n && asciiEquals(at + HEADER, userId)) {
                return numberAt(at);
            }
        }
    }

    private int number(byte[] key) {
        int mask = table.length - 1;
        for (int i = hash(key, 0, key.length) & mask; ; i = (i + 1) & mask) {
            int entry = table[i];
            if (entry == 0) {
                return add(key, i);
            }
            int at = entry - 1;
            int start = at + HEADER;
            if (Arrays.equals(entries, start, start + length(at), key, 0, key.length)) {
                return numberAt(at);
            }
        }
    }

    /** The number of {@code userId}, or -1 when it has none (nothing is added). */
    public int find(String userId) {
        byte[] key = userId.getBytes(StandardCharsets.UTF_8);
        int mask = table.length - 1;
        for (int i = hash(key, 0, key.length) & mask; ; i = (i + 1) & mask) {
            int entry = table[i];
            if (entry == 0) {
                return -1;
            }
            int at = entry - 1;
            int start = at + HEADER;
            if (Arrays.equals(entries, start, start + length(at), key, 0, key.length)) {
                return numberAt(at);
            }
        }
    }

    /** How many distinct ids have a number. */
    public int size() {
        return size;
    }

    private boolean asciiEquals(int from, String id) {
        for (int i = 0; i < id.length(); i++) {
            if (entries[from + i] != (byte) id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int length(int at) {
        return ((entries[at + 4] & 0xFF) << 8) | (entries[at + 5] & 0xFF);
    }

    private int numberAt(int at) {
        return ((entries[at] & 0xFF) << 24) | ((entries[at + 1] & 0xFF) << 16) | ((entries[at + 2] & 0xFF) << 8)
                | (entries[at + 3] & 0xFF);
    }

    private int add(byte[] key, int slot) {
        if (key.length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("a user id is at most " + MAX_ID_BYTES + " bytes of UTF-8");
        }
        long needed = (long) end + HEADER + key.length;
        if (needed >= Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the dictionary is full (2 GiB of ids in one project)");
        }
        if (needed > entries.length) {
            entries = Arrays.copyOf(entries, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(entries.length * 2L, needed)));
        }
        int n = size;
        int at = end;
        entries[at] = (byte) (n >>> 24);
        entries[at + 1] = (byte) (n >>> 16);
        entries[at + 2] = (byte) (n >>> 8);
        entries[at + 3] = (byte) n;
        entries[at + 4] = (byte) (key.length >>> 8);
        entries[at + 5] = (byte) key.length;
        System.arraycopy(key, 0, entries, at + HEADER, key.length);
        end = at + HEADER + key.length;
        table[slot] = at + 1;
        size++;
        if (size * 2 > table.length) {
            rehash();
        }
        return n;
    }

    private void rehash() {
        int[] grown = new int[table.length * 2];
        int mask = grown.length - 1;
        for (int at = 0; at < end; ) {
            int length = length(at);
            int i = hash(entries, at + HEADER, at + HEADER + length) & mask;
            while (grown[i] != 0) {
                i = (i + 1) & mask;
            }
            grown[i] = at + 1;
            at += HEADER + length;
        }
        table = grown;
    }

    private static final int FNV_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private int hash(byte[] data, int from, int to) {
        int h = FNV_BASIS ^ seed;
        for (int i = from; i < to; i++) {
            h = (h ^ data[i]) * FNV_PRIME;
        }
        return finish(h ^ seed);
    }

    /** The longest distance of an id from its home slot: what a lookup may walk (tests, hash flooding). */
    int longestProbe() {
        int mask = table.length - 1;
        int longest = 0;
        for (int i = 0; i < table.length; i++) {
            if (table[i] != 0) {
                int at = table[i] - 1;
                int home = hash(entries, at + HEADER, at + HEADER + length(at)) & mask;
                longest = Math.max(longest, (i - home) & mask);
            }
        }
        return longest;
    }

    /** The home slot of {@code id} in a table of {@code slots} under {@code seed} (tests: crafting collisions). */
    static int homeSlot(String id, int seed, int slots) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        return new UserIds(seed).hash(key, 0, key.length) & (slots - 1);
    }

    /** MurmurHash3's 32-bit finalizer: every input bit reaches the low bits the table uses. */
    private static int finish(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
