package org.coordinatool.coordinator.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.coordinatool.coordinator.core.Client;
import org.coordinatool.coordinator.core.Requests;
import org.coordinatool.coordinator.core.Stats;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.coordinator.queue.BatchSlot;
import org.coordinatool.coordinator.queue.Request;
import org.coordinatool.coordinator.queue.RequestQueue;
import org.coordinatool.coordinator.report.Reporter;

/**
 * The scheduling pass for one waiting client: fills one recv reply with cancel orders first, then
 * restores, removes and archives, within the client's per-type limits and byte budget. A reply
 * carries one archive id and flags pair; the first item chosen fixes it, and must be of an archive
 * id the client accepts.
 *
 * <p>Queues are indexed by (archive id, flags), so finding the first acceptable request costs
 * O(distinct keys) and every following one O(1): a pass costs O(items sent + keys), however long
 * the queues and whatever an agent's archive ids exclude.
 */
public final class Dispatcher {

    /** Bytes charged per item on top of hai_len: the item header is counted twice, as the original does. */
    public static final long ITEM_HEADER = 72;

    /** A reply stops growing once fewer than this many bytes of the agent's buffer are left. */
    public static final long MARGIN = ITEM_HEADER + 100;

    private final Requests requests;
    private final Stats stats;
    private final Batching batching;
    private final Reporter reporter;
    private final IntSupplier agentCount;
    private final String fsname;

    public Dispatcher(Requests requests, Stats stats, Batching batching, Reporter reporter, IntSupplier agentCount,
                      String fsname) {
        this.requests = requests;
        this.stats = stats;
        this.batching = batching;
        this.reporter = reporter;
        this.agentCount = agentCount;
        this.fsname = fsname;
    }

    /** The reply being filled. */
    private static final class Selection {
        final long maxBytes;
        final List<WireItem> items = new ArrayList<>();
        long bytes;
        boolean keyed;
        int archiveId;
        long flags;

        Selection(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        void key(Request r) {
            keyed = true;
            archiveId = r.archiveId();
            flags = r.flags();
        }

        /** Byte check of one item against the buffer. */
        boolean fits(Request r) {
            return r.chargedBytes() <= maxBytes - bytes;
        }

        /** Whether the reply is full enough to stop the pass. */
        boolean exhausted() {
            return bytes > maxBytes - MARGIN;
        }

        void add(Request r) {
            items.add(r.item());
            bytes += r.chargedBytes();
        }

        /** The next request of this queue that may join the reply. */
        Request next(RequestQueue queue, Client client) {
            return keyed ? queue.first(archiveId, flags) : queue.first(client::accepts);
        }
    }

    /**
     * Selects work for a waiting client and starts it on that client.
     *
     * @return the recv reply to send, null when nothing could be selected
     */
    public Reply.ActionList select(Client client, long now) {
        if (batching.enabled()) {
            batching.reschedule(client, requests.global(ActionType.ARCHIVE), now);
        }
        Selection sel = new Selection(client.maxBytes());
        selectCancels(client, sel);
        for (ActionType type : ActionType.PRIORITY) {
            if (!selectType(client, type, sel, now)) {
                break;
            }
        }
        if (sel.items.isEmpty()) {
            return null;
        }
        return new Reply.ActionList(sel.archiveId, sel.flags, fsname, List.copyOf(sel.items));
    }

    private void selectCancels(Client client, Selection sel) {
        RequestQueue cancels = client.cancels();
        Request first = cancels.first();
        if (first == null || !sel.fits(first)) {
            return;
        }
        sel.key(first);
        for (Request order = first; order != null; order = cancels.first(sel.archiveId, sel.flags)) {
            if (!sel.fits(order)) {
                return;
            }
            sel.add(order);
            requests.cancelDelivered(order);
        }
    }

    /** @return false when the whole pass must stop (the reply is full) */
    private boolean selectType(Client client, ActionType type, Selection sel, long now) {
        long max = client.max(type);
        long quota = stats.pending(type) / Math.max(1, agentCount.getAsInt());
        int sent = 0;
        boolean slotted = type == ActionType.ARCHIVE && batching.enabled();
        int sources = slotted ? client.slots().length : 2;
        long slotShare = slotted && client.max(ActionType.ARCHIVE) >= 0
                ? ceilDiv(client.max(ActionType.ARCHIVE), batching.slotsPerClient()) : -1;
        for (int i = 0; i < sources; i++) {
            BatchSlot slot = slotted ? client.slots()[i] : null;
            RequestQueue queue = slotted ? slot.queue() : (i == 0 ? client.waiting(type) : requests.global(type));
            while (true) {
                if (slotShare >= 0 && slot.running() >= slotShare) {
                    break;
                }
                if (sel.exhausted()) {
                    return false;
                }
                if (max >= 0 && client.current(type) >= max) {
                    return true;
                }
                Request r = sel.next(queue, client);
                if (r == null) {
                    break;
                }
                if (!sel.keyed) {
                    sel.key(r);
                }
                if (!sel.fits(r)) {
                    return true;
                }
                if (slot != null) {
                    batching.refresh(slot, now);
                }
                sel.add(r);
                reporter.sent(r.report(), r.dfid(), client.id());
                requests.dispatch(r, client, slotShare >= 0 ? slot : null);
                if (++sent > quota) {
                    break;
                }
            }
        }
        return true;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
