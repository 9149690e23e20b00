package org.coordinatool.coordinator.queue;

import java.util.function.Consumer;
import org.coordinatool.hsm.Fid;

/**
 * Requests by dfid alone, for looking up every request a file has without knowing their cookies.
 *
 * <p>An open-addressing table keyed by dfid holds one request per file; the other requests of the
 * same file hang off it through {@link Request#dfidNext}, a field that fits in the padding of the
 * request object. The index therefore costs one table slot per distinct dfid (6 to 12 bytes at
 * the table's load factor of 1/3 to 2/3) and nothing per request. Lookup and insertion are O(1),
 * removal O(requests of that file).
 */
public final class DfidIndex {

    private static final int MIN_CAPACITY = 16;

    private Request[] slots = new Request[MIN_CAPACITY];
    private int files;

    /** Distinct dfids held. */
    public int files() {
        return files;
    }

    /** Visits every request whose dfid is {@code dfid}, most recently added first. */
    public void forEach(Fid dfid, Consumer<Request> visitor) {
        int i = find(slots, dfid);
        for (Request r = slots[i]; r != null; r = r.dfidNext) {
            visitor.accept(r);
        }
    }

    public void add(Request r) {
        int i = find(slots, r.dfid());
        Request head = slots[i];
        if (head != null) {
            // Linking behind the head leaves the table slot alone.
            r.dfidNext = head.dfidNext;
            head.dfidNext = r;
            return;
        }
        if ((files + 1) * 3L > slots.length * 2L) {
            resize(slots.length * 2);
            i = find(slots, r.dfid());
        }
        r.dfidNext = null;
        slots[i] = r;
        files++;
    }

    /** Removes this very request object; returns false if it is not in the index. */
    public boolean remove(Request r) {
        int i = find(slots, r.dfid());
        Request head = slots[i];
        if (head == null) {
            return false;
        }
        if (head == r) {
            if (r.dfidNext != null) {
                slots[i] = r.dfidNext;
            } else {
                deleteSlot(i);
            }
            r.dfidNext = null;
            return true;
        }
        for (Request prev = head; prev.dfidNext != null; prev = prev.dfidNext) {
            if (prev.dfidNext == r) {
                prev.dfidNext = r.dfidNext;
                r.dfidNext = null;
                return true;
            }
        }
        return false;
    }

    /** The slot holding {@code dfid}'s requests, or the empty slot where they would go. */
    private static int find(Request[] table, Fid dfid) {
        int mask = table.length - 1;
        int i = hash(dfid) & mask;
        while (table[i] != null && !sameFid(table[i].dfid(), dfid)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Backward-shift deletion keeps every probe run contiguous without tombstones. */
    private void deleteSlot(int i) {
        int mask = slots.length - 1;
        int hole = i;
        for (int j = (hole + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = hash(slots[j].dfid()) & mask;
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = null;
        files--;
    }

    private void resize(int capacity) {
        Request[] old = slots;
        slots = new Request[capacity];
        for (Request head : old) {
            if (head != null) {
                slots[find(slots, head.dfid())] = head;
            }
        }
    }

    private static boolean sameFid(Fid a, Fid b) {
        return a.seq() == b.seq() && a.oid() == b.oid() && a.ver() == b.ver();
    }

    private static int hash(Fid dfid) {
        long h = dfid.seq() * 0xC2B2AE3D27D4EB4FL;
        h ^= ((long) dfid.oid() << 32 | (dfid.ver() & 0xffff_ffffL)) * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }
}
