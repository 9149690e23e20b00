package org.coordinatool.coordinator.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.JsonStyle;
import org.coordinatool.coordinator.protocol.WireItem;

/**
 * Changes to the two hashes, reduced to the final state of each field: a later change of a field
 * replaces an earlier one, so what is sent is one multi-field HSET and one multi-field HDEL per
 * hash, whatever their order, and a request's JSON is encoded once however often it changed.
 * Not thread-safe: owned by the state loop.
 */
final class PendingWrites {

    /** The commands the changes are sent as. */
    interface Sink {
        void hset(byte[] hash, Map<byte[], byte[]> fields);

        void hdel(byte[] hash, byte[][] fields);
    }

    /** Per request: the item to store, or null to delete its field. */
    private final Map<RequestKeys.Id, WireItem> requests = new HashMap<>();
    /** Per request: the client it runs on, or null to delete its field. */
    private final Map<RequestKeys.Id, String> assigned = new HashMap<>();
    private long recorded;

    void stored(WireItem item) {
        requests.put(RequestKeys.Id.of(item), item);
        recorded++;
    }

    void assigned(WireItem item, String clientId) {
        assigned.put(RequestKeys.Id.of(item), clientId);
        recorded++;
    }

    void unassigned(WireItem item) {
        assigned.put(RequestKeys.Id.of(item), null);
        recorded++;
    }

    void forgotten(WireItem item) {
        RequestKeys.Id id = RequestKeys.Id.of(item);
        requests.put(id, null);
        assigned.put(id, null);
        recorded++;
    }

    boolean isEmpty() {
        return requests.isEmpty() && assigned.isEmpty();
    }

    /** The changes recorded since this was created, before coalescing. */
    long recorded() {
        return recorded;
    }

    /** Sends the final state of every changed field to the given hashes and forgets it. */
    void drainTo(Sink sink, byte[] requestsHash, byte[] assignedHash) {
        Map<byte[], byte[]> set = new LinkedHashMap<>(2 * requests.size());
        List<byte[]> deleted = new ArrayList<>();
        for (Map.Entry<RequestKeys.Id, WireItem> e : requests.entrySet()) {
            if (e.getValue() == null) {
                deleted.add(e.getKey().encode());
            } else {
                set.put(e.getKey().encode(), ItemJson.toBytes(e.getValue(), JsonStyle.COMPACT));
            }
        }
        send(sink, requestsHash, set, deleted);
        set = new LinkedHashMap<>(2 * assigned.size());
        deleted = new ArrayList<>();
        for (Map.Entry<RequestKeys.Id, String> e : assigned.entrySet()) {
            if (e.getValue() == null) {
                deleted.add(e.getKey().encode());
            } else {
                set.put(e.getKey().encode(), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        send(sink, assignedHash, set, deleted);
        requests.clear();
        assigned.clear();
    }

    void clear() {
        requests.clear();
        assigned.clear();
    }

    private static void send(Sink sink, byte[] hash, Map<byte[], byte[]> set, List<byte[]> deleted) {
        // Each field is in one of the two, so their order does not matter.
        if (!set.isEmpty()) {
            sink.hset(hash, set);
        }
        if (!deleted.isEmpty()) {
            sink.hdel(hash, deleted.toArray(new byte[0][]));
        }
    }
}
