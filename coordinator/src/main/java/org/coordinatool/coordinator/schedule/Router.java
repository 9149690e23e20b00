package org.coordinatool.coordinator.schedule;

import java.util.function.LongSupplier;
import org.coordinatool.coordinator.core.Client;
import org.coordinatool.coordinator.core.Requests;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.coordinator.queue.BatchSlot;
import org.coordinatool.coordinator.queue.Request;
import org.coordinatool.coordinator.queue.RequestQueue;
import org.coordinatool.coordinator.report.Reporter;

/**
 * Chooses the queue of a request that is not running: for archives, the batch slot already
 * holding its tag, then a host mapping, then a new batch slot; otherwise the global queue of its
 * type. Once a mapping picked a client the archive stays with that client.
 */
public final class Router {

    private final Requests requests;
    private final Batching batching;
    private final HostMapper mapper;
    private final Reporter reporter;
    private final LongSupplier now;

    public Router(Requests requests, Batching batching, HostMapper mapper, Reporter reporter, LongSupplier now) {
        this.requests = requests;
        this.batching = batching;
        this.mapper = mapper;
        this.reporter = reporter;
        this.now = now;
    }

    public void route(Request r) {
        requests.enqueue(r, destination(r));
    }

    private RequestQueue destination(Request r) {
        if (r.type() != ActionType.ARCHIVE) {
            return requests.global(r.type());
        }
        long t = now.getAsLong();
        if (batching.enabled()) {
            BatchSlot active = batching.activeSlot(r, t);
            if (active != null) {
                return active.queue();
            }
        }
        Client mapped = mapper.map(r);
        if (mapped != null) {
            reporter.assigned(r.report(), r.dfid(), mapped.id());
            BatchSlot slot = batching.enabled() ? batching.slotOnClient(mapped, r, t) : null;
            return slot != null ? slot.queue() : mapped.waiting(ActionType.ARCHIVE);
        }
        if (batching.enabled()) {
            BatchSlot fresh = batching.newSlot(r, t);
            if (fresh != null) {
                return fresh.queue();
            }
        }
        return requests.global(ActionType.ARCHIVE);
    }
}
