package org.coordinatool.coordinator.core;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.coordinator.queue.BatchSlot;
import org.coordinatool.coordinator.queue.DfidIndex;
import org.coordinatool.coordinator.queue.Request;
import org.coordinatool.coordinator.queue.RequestQueue;
import org.coordinatool.coordinator.queue.RequestTable;
import org.coordinatool.coordinator.queue.Sequencer;
import org.coordinatool.coordinator.report.Reporter;
import org.coordinatool.coordinator.schedule.Router;
import org.coordinatool.hsm.Fid;
import org.slf4j.Logger;

/**
 * The life cycle of requests: registration, queueing, starting on a client, re-queueing,
 * completion and cancellation, with the persistence and reporting each step implies.
 */
public final class Requests {

    private static final Logger LOG = RequestLog.LOG;

    private final RequestTable index = RequestTable.byIdentity();
    private final RequestTable runningByLowCookie = RequestTable.byLowCookie();
    private final DfidIndex byDfid = new DfidIndex();
    private final RequestQueue[] global = new RequestQueue[ActionType.COUNTED];
    private final Stats stats;
    private final RequestStore store;
    private final Reporter reporter;
    private final LustreCanceller canceller;
    private final RequestTelemetry telemetry;
    private final LongSupplier now;
    private Router router;

    Requests(Sequencer sequencer, boolean tagIndexedArchives, Stats stats, RequestStore store, Reporter reporter,
             LustreCanceller canceller, RequestTelemetry telemetry, LongSupplier now) {
        for (ActionType t : ActionType.PRIORITY) {
            global[t.ordinal()] = new RequestQueue(sequencer, tagIndexedArchives && t == ActionType.ARCHIVE,
                    stats.waitingMembership);
        }
        this.stats = stats;
        this.store = store;
        this.reporter = reporter;
        this.canceller = canceller;
        this.telemetry = telemetry;
        this.now = now;
    }

    void router(Router r) {
        router = r;
    }

    /** The queue of requests not bound to any client. */
    public RequestQueue global(ActionType type) {
        return global[type.ordinal()];
    }

    public Request find(long cookie, Fid dfid) {
        return index.find(cookie, dfid);
    }

    /**
     * A running request whose cookie has the same low 32 bits, preferably one running on
     * {@code sender}; null if none.
     */
    Request findRunningByLowCookie(long cookie, Fid dfid, Client sender) {
        Request onSender = runningByLowCookie.find(cookie, dfid, r -> r.owner() == sender);
        return onSender != null ? onSender : runningByLowCookie.find(cookie, dfid);
    }

    /** Visits every request known for this dfid (cancel orders are reached through their request). */
    void forEachOf(Fid dfid, Consumer<Request> visitor) {
        byDfid.forEach(dfid, visitor);
    }

    void forEach(Consumer<Request> visitor) {
        index.forEach(visitor);
    }

    /** Room for this many more requests, about to be registered together. */
    void reserve(int more) {
        index.reserve(more);
    }

    /**
     * Makes a request known: indexed, reported ({@code new}) and persisted. It is not queued yet.
     *
     * @return the new request, null if one with the same identity is already known
     */
    Request register(WireItem item) {
        if (index.find(item.cookie(), item.dfid()) != null) {
            return null;
        }
        Request r = Request.of(item);
        r.report(reporter.register(item.data(), item.dfid()));
        index.add(r);
        byDfid.add(r);
        store.stored(item);
        return r;
    }

    /**
     * Registers a request that comes in new, from Lustre or a {@code queue} command.
     *
     * @return the new request, null if one with the same identity is already known
     */
    Request receive(WireItem item) {
        Request r = register(item);
        if (r != null) {
            telemetry.received(r.type());
        }
        return r;
    }

    /** Places a request that is in no queue according to the routing rules. */
    void route(Request r) {
        router.route(r);
    }

    /** Appends a request to a waiting queue. */
    public void enqueue(Request r, RequestQueue queue) {
        queue.addLast(r);
        r.stateSince(now.getAsLong());
        LOG.debug("{} queued", r);
        if (r.report() != null && r.type() == ActionType.RESTORE) {
            reporter.ensureTick();
        }
    }

    /** Sends a queued request to a waiting agent: {@link #start}, counted and logged. */
    public void dispatch(Request r, Client client, BatchSlot slot) {
        long waited = now.getAsLong() - r.stateSince();
        start(r, client, slot);
        telemetry.dispatched(r.type(), waited);
        LOG.info("{} dispatched to {}", r, client.id());
    }

    /**
     * Starts (or restarts) a request on a client: it leaves whatever queue holds it, joins the
     * client's active list and, when it changes hands, its assignment is persisted and a pending
     * cancel follows it.
     *
     * @param slot the batch slot to charge, or null
     */
    public void start(Request r, Client client, BatchSlot slot) {
        Client previous = r.owner();
        if (r.queue() != null) {
            r.queue().remove(r);
        }
        if (r.chargedSlot() != null && (previous != client || slot != null)) {
            r.chargedSlot().uncharge();
            r.chargedSlot(null);
        }
        client.active().addLast(r);
        if (previous != client) {
            r.stateSince(now.getAsLong());
        }
        r.owner(client);
        if (previous == null) {
            runningByLowCookie.add(r);
        }
        if (slot != null) {
            slot.charge();
            r.chargedSlot(slot);
        }
        if (previous != client) {
            store.assigned(r.stored(), client.id());
            Request order = r.cancelPeer();
            if (order != null) {
                order.queue().remove(order);
                client.cancels().addLast(order);
            }
        }
    }

    /**
     * A running request goes back to the queues (its client is gone or did not claim it). If a
     * cancel was waiting for it, the cancel is completed instead: the request is dropped and
     * Lustre is told it was cancelled.
     */
    void requeue(Request r) {
        String owner = r.owner().id();
        stopRunning(r);
        Request order = r.cancelPeer();
        if (order != null) {
            LOG.info("Cancelling {} on re-queue: its cancel was not delivered", r);
            forget(r);
            stats.countCancelDone();
            telemetry.cancelled(r.type());
            canceller.reportCancelled(order.item());
            return;
        }
        store.unassigned(r.stored());
        LOG.info("{} re-queued: no longer running on {}", r, owner);
        route(r);
    }

    private void stopRunning(Request r) {
        r.queue().remove(r);
        r.owner(null);
        runningByLowCookie.remove(r);
        if (r.chargedSlot() != null) {
            r.chargedSlot().uncharge();
            r.chargedSlot(null);
        }
    }

    /** The agent finished the request. */
    void complete(Request r, Client sender, int status) {
        long ran = now.getAsLong() - r.stateSince();
        if (status == 0) {
            LOG.info("{} done by {} in {} ms", r, sender.id(), ran / 1_000_000);
        } else {
            LOG.warn("{} failed on {} with status {} after {} ms", r, sender.id(), status, ran / 1_000_000);
        }
        telemetry.completed(r.type(), status, ran);
        reporter.done(r.report(), r.dfid(), status);
        forget(r);
        sender.done[r.type().ordinal()]++;
        stats.countDone(r.type());
    }

    /** Drops a request entirely: queues, index, report reference, persistence, pending cancel. */
    void forget(Request r) {
        if (r.isRunning()) {
            stopRunning(r);
        } else if (r.queue() != null) {
            r.queue().remove(r);
        }
        index.remove(r);
        byDfid.remove(r);
        Request order = r.cancelPeer();
        if (order != null) {
            order.queue().remove(order);
            r.detachCancel();
        }
        reporter.release(r.report());
        store.forgotten(r.stored());
    }

    /**
     * Lustre cancelled a request: a queued one is dropped and reported cancelled to Lustre at once;
     * a running one gets a cancel order for its agent's next scheduling pass.
     */
    void cancel(WireItem cancelItem) {
        Request r = index.find(cancelItem.cookie(), cancelItem.dfid());
        if (r == null) {
            LOG.warn("Cancel for {} cookie 0x{}: not in queue -- just done?", cancelItem.dfid().format(),
                    Long.toHexString(cancelItem.cookie()));
            return;
        }
        reporter.cancelled(r.report(), r.dfid());
        if (!r.isRunning()) {
            LOG.info("Cancelling queued {}", r);
            forget(r);
            stats.countCancelDone();
            telemetry.cancelled(r.type());
            canceller.reportCancelled(cancelItem);
            return;
        }
        if (r.cancelPeer() != null) {
            LOG.info("Cancel for {} already pending on {}", r, r.owner().id());
            return;
        }
        LOG.info("Cancel for {} will be sent to {}", r, r.owner().id());
        Request order = Request.cancelOrder(cancelItem, r);
        r.owner().cancels().addLast(order);
        order.stateSince(now.getAsLong());
    }

    /** A cancel order went out in a recv reply. */
    public void cancelDelivered(Request order) {
        Request target = order.cancelPeer();
        LOG.info("Cancel for {} delivered to {}", target, target.owner().id());
        telemetry.cancelled(target.type());
        order.queue().remove(order);
        order.detachCancel();
        stats.countCancelDone();
    }
}
