package org.coordinatool.coordinator.core;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.coordinatool.hsm.Fid;

/**
 * The last requests an agent completed, by the (cookie, dfid) of its {@code done}. When the
 * connection breaks before a {@code done}'s reply reaches the agent, the agent claims that request
 * again in the {@code hai_list} of its next {@code ehlo} and sends the {@code done} once more; the
 * request is gone by then, and without this memory the claim would register it anew and the
 * repeated {@code done} would complete it twice. Replies the agent may not have read cover at most
 * the work it can end without hearing back, so a bounded window is enough.
 */
final class RecentCompletions {

    /** Far more than any agent's limits allow it to end while its replies are held up. */
    static final int CAPACITY = 1024;

    private record Key(long cookie, Fid dfid) {
    }

    private final ArrayDeque<Key> order = new ArrayDeque<>();
    private final Set<Key> keys = new HashSet<>();

    void add(long cookie, Fid dfid) {
        Key k = new Key(cookie, dfid);
        if (!keys.add(k)) {
            return;
        }
        order.addLast(k);
        if (order.size() > CAPACITY) {
            keys.remove(order.removeFirst());
        }
    }

    boolean contains(long cookie, Fid dfid) {
        return keys.contains(new Key(cookie, dfid));
    }
}
