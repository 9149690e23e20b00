package org.coordinatool.mover;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;

/**
 * Items delivered to the copytool and not ended yet, keyed by (cookie, dfid), each kept as the
 * coordinator sent it so that a reconnection can claim it in its ehlo exactly as received.
 */
final class RunningItems {

    /** A running item and when it was delivered ({@link System#nanoTime}). */
    record Running(WireItem item, long deliveredNanos) {
    }

    private final Map<ItemKey, Running> items = new LinkedHashMap<>();

    /** Records an item delivered at {@code nowNanos}; false if that key was already running (it is kept as it was). */
    boolean add(WireItem item, long nowNanos) {
        return items.putIfAbsent(ItemKey.of(item), new Running(item, nowNanos)) == null;
    }

    /** The item, no longer running; null if it was not. */
    Running remove(ItemKey key) {
        return items.remove(key);
    }

    boolean contains(ItemKey key) {
        return items.containsKey(key);
    }

    /** Forgets every item and returns them. */
    List<WireItem> clear() {
        List<WireItem> all = items();
        items.clear();
        return all;
    }

    List<WireItem> items() {
        List<WireItem> all = new ArrayList<>(items.size());
        items.values().forEach(r -> all.add(r.item()));
        return all;
    }

    /** How many items of each type run, indexed by {@link ActionType} ordinal. */
    long[] countByType() {
        long[] counts = new long[ActionType.COUNTED];
        for (Running r : items.values()) {
            ActionType t = ActionType.ofRequestCode(r.item().action());
            if (t != null) {
                counts[t.ordinal()]++;
            }
        }
        return counts;
    }

    int size() {
        return items.size();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }
}
