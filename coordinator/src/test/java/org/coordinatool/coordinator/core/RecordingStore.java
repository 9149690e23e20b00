package org.coordinatool.coordinator.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;

/** An in-memory store with the two hashes of the persistent schema and a log of calls. */
final class RecordingStore implements RequestStore {

    record Key(long cookie, Fid dfid) {
        static Key of(WireItem item) {
            return new Key(item.cookie(), item.dfid());
        }
    }

    final Map<Key, WireItem> requests = new LinkedHashMap<>();
    final Map<Key, String> assigned = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    int flushes;

    @Override
    public void stored(WireItem item) {
        requests.put(Key.of(item), item);
        calls.add("stored " + item.dfid().format());
    }

    @Override
    public void assigned(WireItem item, String clientId) {
        assigned.put(Key.of(item), clientId);
        calls.add("assigned " + item.dfid().format() + " " + clientId);
    }

    @Override
    public void unassigned(WireItem item) {
        assigned.remove(Key.of(item));
        calls.add("unassigned " + item.dfid().format());
    }

    @Override
    public void forgotten(WireItem item) {
        requests.remove(Key.of(item));
        assigned.remove(Key.of(item));
        calls.add("forgotten " + item.dfid().format());
    }

    @Override
    public void flush() {
        flushes++;
    }

    String assignee(WireItem item) {
        return assigned.get(Key.of(item));
    }
}
