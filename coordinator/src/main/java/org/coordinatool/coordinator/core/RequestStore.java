package org.coordinatool.coordinator.core;

import org.coordinatool.coordinator.protocol.WireItem;

/**
 * Persistence of the request queue (Redis in production, nothing when persistence is disabled).
 * Called on the state loop; implementations must not block: they queue the writes and send them
 * in batches when {@link #flush} is called at the end of each event the loop processes.
 */
public interface RequestStore {

    /** The request is known to the server (any source): its JSON is stored under its key. */
    void stored(WireItem item);

    /** The request started on a client. */
    void assigned(WireItem item, String clientId);

    /** A running request went back to a queue. */
    void unassigned(WireItem item);

    /** The request is finished or cancelled: both entries are removed. */
    void forgotten(WireItem item);

    void flush();

    RequestStore NONE = new RequestStore() {
        public void stored(WireItem item) { }
        public void assigned(WireItem item, String clientId) { }
        public void unassigned(WireItem item) { }
        public void forgotten(WireItem item) { }
        public void flush() { }
    };
}
