package dev.northstar.signals.dedup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * The eventIds already counted for one project: an eventId seen again is counted once, however it
 * arrives. Kept inside each service's state so that it survives with it.
 *
 * <p>Bounded: a project remembers its last {@link #WINDOW} distinct eventIds. A duplicate that
 * arrives after more than that many newer distinct events of the same project would be counted
 * again. Producer retries and Kafka redeliveries come within seconds or minutes, orders of
 * magnitude inside the window; docs/adr/0005 explains the choice.
 *
 * <p>Compact: each eventId is remembered as a 64-bit fingerprint (8 bytes in arrival order, and a
 * slot in an open-addressing table), not as a string: about 24 bytes per id instead of ~100. Two
 * distinct eventIds of one project share a fingerprint with probability about
 * {@code WINDOW / 2^64} (5e-15) per event; the later one would then be taken for a duplicate.
 *
 * <p>The fingerprint is the same in every process (it is saved with the state); where it goes in
 * the table is not: the slot mixes it with a per-process random seed ({@link #PROCESS_SEED}), so
 * eventIds crafted to collide in the table under a fixed hash cannot make lookups walk long probe
 * chains (hash flooding).
 */
public final class SeenEvents {

    /** This process's table seed. */
    static final long PROCESS_SEED = new java.security.SecureRandom().nextLong();

    /** Distinct eventIds remembered per project. */
    public static final int WINDOW = 100_000;

    private static final int MIN_CAPACITY = 16;

    // Transient: the saved form is the pair of @JsonProperty members below, not these fields.

    /** Fingerprints in arrival order, a ring of at most {@link #WINDOW}; oldest at {@link #head}. */
    private transient long[] order;
    private transient int head;
    private transient int size;
    private transient long duplicates;
    /** Linear-probing set of the fingerprints in {@link #order}; 0 marks a free slot. */
    private transient long[] table;
    private transient int mask;
    private final transient long seed;

    public SeenEvents() {
        this(PROCESS_SEED);
    }

    /** With a given table seed (tests: 0 is the unseeded table). */
    SeenEvents(long seed) {
        this(new long[MIN_CAPACITY], 0, 0, 0, seed);
    }

    private SeenEvents(long[] order, int head, int size, long duplicates, long seed) {
        this.seed = seed;
        this.order = order;
        this.head = head;
        this.size = size;
        this.duplicates = duplicates;
        rehash(tableCapacity(Math.max(size, MIN_CAPACITY)));
    }

    /** Reads the fingerprints saved by {@link #saved()}, oldest first. */
    @JsonCreator
    static SeenEvents restore(@JsonProperty("fingerprints") long[] fingerprints,
                              @JsonProperty("duplicates") long duplicates) {
        long[] kept = fingerprints == null ? new long[0] : fingerprints;
        if (kept.length > WINDOW) {
            kept = Arrays.copyOfRange(kept, kept.length - WINDOW, kept.length);
        }
        long[] order = Arrays.copyOf(kept, Math.max(MIN_CAPACITY, kept.length));
        return new SeenEvents(order, 0, kept.length, duplicates, PROCESS_SEED);
    }

    /** The fingerprints, oldest first: what the state store keeps. */
    @JsonProperty("fingerprints")
    long[] saved() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = order[(head + i) % order.length];
        }
        return out;
    }

    @JsonProperty("duplicates")
    public long duplicates() {
        return duplicates;
    }

    /** Records {@code eventId}; false when it was seen before (a duplicate, not to be counted). */
    public boolean firstTime(String eventId) {
        long fingerprint = fingerprint(eventId);
        if (contains(fingerprint)) {
            duplicates++;
            return false;
        }
        if (size == WINDOW) {
            remove(order[head]);
            order[head] = fingerprint;
            head = (head + 1) % WINDOW;
        } else {
            if (size == order.length) {
                growOrder();
            }
            order[(head + size) % order.length] = fingerprint;
            size++;
            if (size * 2 > table.length) {
                rehash(table.length * 2);
            }
        }
        insert(fingerprint);
        return true;
    }

    public int size() {
        return size;
    }

    /** FNV-1a over the characters, then MurmurHash3's 64-bit finalizer; never 0 (0 marks a free slot). */
    static long fingerprint(String eventId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < eventId.length(); i++) {
            h ^= eventId.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    private void growOrder() {
        // Only while not yet full, so head is 0 and the ring is in order.
        order = Arrays.copyOf(order, Math.min(WINDOW, order.length * 2));
    }

    private static int tableCapacity(int entries) {
        return Integer.highestOneBit(Math.max(entries, MIN_CAPACITY) * 2 - 1) * 2;
    }

    private void rehash(int capacity) {
        table = new long[capacity];
        mask = capacity - 1;
        for (int i = 0; i < size; i++) {
            insert(order[(head + i) % order.length]);
        }
    }

    private int slot(long fingerprint) {
        return home(fingerprint, seed) & mask;
    }

    /** The fingerprint mixed with the seed (MurmurHash3's 64-bit finalizer): a bijection, so distinct stay distinct. */
    static int home(long fingerprint, long seed) {
        long h = fingerprint ^ seed;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) (h ^ (h >>> 32));
    }

    /** The longest distance of a fingerprint from its home slot: what a lookup may walk (tests, hash flooding). */
    int longestProbe() {
        int longest = 0;
        for (int i = 0; i < table.length; i++) {
            if (table[i] != 0) {
                longest = Math.max(longest, (i - slot(table[i])) & mask);
            }
        }
        return longest;
    }

    /** The table size this holds its fingerprints in now. */
    int tableSize() {
        return table.length;
    }

    private boolean contains(long fingerprint) {
        for (int i = slot(fingerprint); ; i = (i + 1) & mask) {
            long at = table[i];
            if (at == fingerprint) {
                return true;
            }
            if (at == 0) {
                return false;
            }
        }
    }

    private void insert(long fingerprint) {
        int i = slot(fingerprint);
        while (table[i] != 0) {
            if (table[i] == fingerprint) {
                return;
            }
            i = (i + 1) & mask;
        }
        table[i] = fingerprint;
    }

    /** Removes with backward shift, so that no tombstones build up. */
    private void remove(long fingerprint) {
        int i = slot(fingerprint);
        while (table[i] != fingerprint) {
            if (table[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        int gap = i;
        for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = slot(table[j]);
            // Move table[j] into the gap unless its home lies cyclically in (gap, j].
            boolean stays = gap <= j ? (gap < home && home <= j) : (gap < home || home <= j);
            if (!stays) {
                table[gap] = table[j];
                gap = j;
            }
        }
        table[gap] = 0;
    }
}
