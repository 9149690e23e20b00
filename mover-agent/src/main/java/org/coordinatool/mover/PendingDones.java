package org.coordinatool.mover;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.coordinator.protocol.WireItem;

/**
 * Completions not yet acknowledged by the coordinator, oldest first. The coordinator answers the
 * done requests of a connection in the order it received them, so each done reply acknowledges
 * the oldest done written on the current connection. Until it is acknowledged, an item stays
 * claimed in the agent's ehlo: after a reconnection the coordinator still counts it as running
 * here and the done is sent again, so it is neither lost nor requeued.
 */
final class PendingDones {

    record Done(WireItem item, int status) {
    }

    /** Written on the current connection, awaiting their replies, oldest first. */
    private final ArrayDeque<Done> awaiting = new ArrayDeque<>();
    /** Not written on the current connection yet, oldest first. */
    private final ArrayDeque<Done> unsent = new ArrayDeque<>();

    void add(WireItem item, int status) {
        unsent.add(new Done(item, status));
    }

    /** The completions not yet written on the current connection; each returned one counts as written. */
    List<Done> takeUnsent() {
        List<Done> taken = new ArrayList<>(unsent);
        awaiting.addAll(unsent);
        unsent.clear();
        return taken;
    }

    /** The coordinator answered the oldest done written; false if none was awaiting an answer. */
    boolean acknowledge() {
        return awaiting.poll() != null;
    }

    /** The connection is gone: nothing written on it counts any more. */
    void connectionLost() {
        while (!awaiting.isEmpty()) {
            unsent.addFirst(awaiting.pollLast());
        }
    }

    List<WireItem> items() {
        List<WireItem> items = new ArrayList<>(size());
        awaiting.forEach(d -> items.add(d.item()));
        unsent.forEach(d -> items.add(d.item()));
        return items;
    }

    int size() {
        return awaiting.size() + unsent.size();
    }

    boolean isEmpty() {
        return awaiting.isEmpty() && unsent.isEmpty();
    }
}
