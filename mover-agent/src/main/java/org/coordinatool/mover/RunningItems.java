package org.coordinatool.mover;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.coordinator.protocol.WireItem;

/**
 * Items delivered to the copytool and not ended yet, keyed by (cookie, dfid), each kept as the
 * coordinator sent it so that a reconnection can claim it in its ehlo exactly as received.
 */
final class RunningItems {

    private final Map<ItemKey, WireItem> items = new LinkedHashMap<>();

    /** Records a delivered item; false if that key was already running (it is kept as it was). */
    boolean add(WireItem item) {
        return items.putIfAbsent(ItemKey.of(item), item) == null;
    }

    /** The item, no longer running; null if it was not. */
    WireItem remove(ItemKey key) {
        return items.remove(key);
    }

    boolean contains(ItemKey key) {
        return items.containsKey(key);
    }

    /** Forgets every item and returns them. */
    List<WireItem> clear() {
        List<WireItem> all = new ArrayList<>(items.values());
        items.clear();
        return all;
    }

    Collection<WireItem> items() {
        return items.values();
    }

    int size() {
        return items.size();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }
}
