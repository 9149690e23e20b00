package org.coordinatool.coordinator.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.coordinatool.coordinator.core.RequestStore;
import org.coordinatool.coordinator.core.UnexpectedEvents;
import org.coordinatool.coordinator.protocol.ItemJson;
import org.coordinatool.coordinator.protocol.WireItem;

/**
 * The request-keeping side of a coordinator, reduced to what the store sees: a map of requests
 * with the client each runs on, every change reported to the store as the coordinator reports
 * it. Confined to the state loop like the real one.
 */
final class InMemoryState extends UnexpectedEvents {

    record Entry(WireItem item, String clientId) {
    }

    private final Map<RequestKeys.Id, Entry> requests = new LinkedHashMap<>();
    private RequestStore store = RequestStore.NONE;
    final List<WireItem> recoveredItems = new ArrayList<>();
    final List<Assignment> recoveredAssignments = new ArrayList<>();
    int recoveredCalls;
    final List<WireItem> lateItems = new ArrayList<>();
    int lateCalls;
    /** How many of the next late recoveries fail before changing anything. */
    int lateFailures;

    void attach(RequestStore requestStore) {
        this.store = requestStore;
    }

    void add(WireItem item) {
        requests.put(RequestKeys.Id.of(item), new Entry(item, null));
        store.stored(item);
    }

    void assign(WireItem item, String clientId) {
        requests.put(RequestKeys.Id.of(item), new Entry(item, clientId));
        store.assigned(item, clientId);
    }

    void unassign(WireItem item) {
        requests.put(RequestKeys.Id.of(item), new Entry(item, null));
        store.unassigned(item);
    }

    void forget(WireItem item) {
        requests.remove(RequestKeys.Id.of(item));
        store.forgotten(item);
    }

    void flush() {
        store.flush();
    }

    /** What coordinatool_requests must hold: key → compact item JSON. */
    Map<String, String> expectedRequests() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<RequestKeys.Id, Entry> e : requests.entrySet()) {
            m.put(e.getKey().format(), ItemJson.toCompactJson(e.getValue().item()));
        }
        return m;
    }

    /** What coordinatool_assigned must hold: key → client id. */
    Map<String, String> expectedAssigned() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<RequestKeys.Id, Entry> e : requests.entrySet()) {
            if (e.getValue().clientId() != null) {
                m.put(e.getKey().format(), e.getValue().clientId());
            }
        }
        return m;
    }

    /** As the coordinator does: every request is registered (and stored), then started. */
    @Override
    public void recovered(List<WireItem> items, List<Assignment> assignments) {
        recoveredCalls++;
        recoveredItems.addAll(items);
        recoveredAssignments.addAll(assignments);
        for (WireItem item : items) {
            add(item);
        }
        for (Assignment a : assignments) {
            Entry e = requests.get(new RequestKeys.Id(a.cookie(), a.dfid()));
            assign(e.item(), a.clientId());
        }
    }

    /** As the coordinator does, without clients: known requests win, the rest is added. */
    @Override
    public void recoveredLate(List<WireItem> items, List<Assignment> assignments) {
        lateCalls++;
        if (lateFailures > 0) {
            lateFailures--;
            throw new IllegalStateException("late recovery failure " + lateCalls);
        }
        lateItems.addAll(items);
        for (WireItem item : items) {
            if (!requests.containsKey(RequestKeys.Id.of(item))) {
                add(item);
            }
        }
        for (Assignment a : assignments) {
            Entry e = requests.get(new RequestKeys.Id(a.cookie(), a.dfid()));
            if (e != null && e.clientId() == null) {
                assign(e.item(), a.clientId());
            }
        }
    }

    @Override
    public void forEachRequest(BiConsumer<WireItem, String> visitor) {
        for (Entry e : requests.values()) {
            visitor.accept(e.item(), e.clientId());
        }
    }
}
