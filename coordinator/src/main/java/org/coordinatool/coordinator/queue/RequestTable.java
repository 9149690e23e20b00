package org.coordinatool.coordinator.queue;

import java.util.function.Consumer;
import java.util.function.Predicate;
import org.coordinatool.hsm.Fid;

/**
 * Requests by identity, in an open-addressing table probed with the primitive key fields so that
 * a lookup allocates nothing.
 *
 * <p>In {@linkplain #byLowCookie() low-cookie} mode only the low 32 bits of the cookie take part in
 * the key: that table answers {@code done} messages from agents that truncate cookies to 32 bits,
 * and may hold several requests under one key.
 */
public final class RequestTable {

    private static final int MIN_CAPACITY = 16;
    private static final long LOW_32 = 0xffff_ffffL;

    private final long cookieMask;
    private Request[] slots = new Request[MIN_CAPACITY];
    private int size;

    private RequestTable(long cookieMask) {
        this.cookieMask = cookieMask;
    }

    /** The main index: (cookie, dfid) is unique. */
    public static RequestTable byIdentity() {
        return new RequestTable(-1L);
    }

    /** Keyed by (cookie & 0xffffffff, dfid); keys may repeat. */
    public static RequestTable byLowCookie() {
        return new RequestTable(LOW_32);
    }

    public int size() {
        return size;
    }

    /** The first request under this key, null if none. */
    public Request find(long cookie, Fid dfid) {
        return find(cookie, dfid, r -> true);
    }

    /** The first request under this key that satisfies {@code wanted}, null if none. */
    public Request find(long cookie, Fid dfid, Predicate<Request> wanted) {
        long c = cookie & cookieMask;
        int mask = slots.length - 1;
        for (int i = hash(c, dfid.seq(), dfid.oid(), dfid.ver()) & mask; slots[i] != null; i = (i + 1) & mask) {
            Request r = slots[i];
            if (matches(r, c, dfid) && wanted.test(r)) {
                return r;
            }
        }
        return null;
    }

    /** Adds a request; in identity mode the caller has checked that its key is not present. */
    public void add(Request r) {
        if (overloaded(size + 1, slots.length)) {
            resize(slots.length * 2);
        }
        insert(slots, r);
        size++;
    }

    /**
     * Makes room for {@code more} requests at once, so that adding a million recovered requests
     * rehashes the table once instead of at every doubling.
     */
    public void reserve(int more) {
        int capacity = slots.length;
        while (overloaded((long) size + more, capacity)) {
            capacity *= 2;
        }
        if (capacity != slots.length) {
            resize(capacity);
        }
    }

    /** The load factor stays at most 2/3, so probe runs stay short. */
    private static boolean overloaded(long count, int capacity) {
        return count * 3 > capacity * 2L;
    }

    /** Removes this very request object; returns false if it is not in the table. */
    public boolean remove(Request r) {
        int mask = slots.length - 1;
        int i = slotOf(r, mask);
        while (slots[i] != r) {
            if (slots[i] == null) {
                return false;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion keeps every probe run contiguous without tombstones.
        int hole = i;
        for (int j = (hole + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = slotOf(slots[j], mask);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = null;
        size--;
        return true;
    }

    /** Visits every request; the visitor must not modify the table. */
    public void forEach(Consumer<Request> visitor) {
        for (Request r : slots) {
            if (r != null) {
                visitor.accept(r);
            }
        }
    }

    private boolean matches(Request r, long maskedCookie, Fid dfid) {
        Fid d = r.dfid();
        return (r.cookie() & cookieMask) == maskedCookie
                && d.seq() == dfid.seq() && d.oid() == dfid.oid() && d.ver() == dfid.ver();
    }

    private int slotOf(Request r, int mask) {
        Fid d = r.dfid();
        return hash(r.cookie() & cookieMask, d.seq(), d.oid(), d.ver()) & mask;
    }

    private void insert(Request[] table, Request r) {
        int mask = table.length - 1;
        int i = slotOf(r, mask);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = r;
    }

    private void resize(int capacity) {
        Request[] old = slots;
        slots = new Request[capacity];
        for (Request r : old) {
            if (r != null) {
                insert(slots, r);
            }
        }
    }

    private static int hash(long cookie, long seq, int oid, int ver) {
        long h = cookie * 0x9E3779B97F4A7C15L;
        h ^= seq * 0xC2B2AE3D27D4EB4FL;
        h ^= ((long) oid << 32 | (ver & LOW_32)) * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }
}
