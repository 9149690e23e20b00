package org.coordinatool.coordinator.queue;

import java.nio.charset.StandardCharsets;
import org.coordinatool.coordinator.core.Client;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.report.ReportEntry;
import org.coordinatool.hsm.Fid;

/**
 * One request the coordinator holds: an archive, restore or remove identified by (cookie, dfid),
 * or a cancel order waiting to be delivered to the agent running the request it cancels (cancel
 * orders are not indexed and not persisted).
 *
 * <p>The record links itself into whatever {@link RequestQueue} holds it, so removal is O(1)
 * wherever it is; a request is in at most one queue at a time.
 */
public final class Request {

    private final long cookie;
    private final Fid dfid;
    private final ActionType type;

    private WireItem item;
    private WireItem stored;
    private String hint;

    private Client owner;
    private BatchSlot chargedSlot;
    private ReportEntry report;
    private Request cancelPeer;
    private long stateSince;

    RequestQueue queue;
    SubQueue sub;
    Request prev;
    Request next;
    long seq;
    HintChain chain;
    Request chainPrev;
    Request chainNext;
    /** The next request with the same dfid in the {@link DfidIndex}. */
    Request dfidNext;

    private Request(WireItem item, ActionType type) {
        this.cookie = item.cookie();
        this.dfid = item.dfid();
        this.type = type;
        this.item = item;
        this.stored = item;
    }

    /** A queueable request; the item's action must be archive, restore or remove. */
    public static Request of(WireItem item) {
        ActionType type = ActionType.ofRequestCode(item.action());
        if (type == null) {
            throw new IllegalArgumentException("not an archive, restore or remove: " + item);
        }
        return new Request(item, type);
    }

    /** A cancel order for {@code target}, built from the cancel item Lustre sent. */
    public static Request cancelOrder(WireItem cancelItem, Request target) {
        Request order = new Request(cancelItem, ActionType.CANCEL);
        order.cancelPeer = target;
        target.cancelPeer = order;
        return order;
    }

    public long cookie() {
        return cookie;
    }

    public Fid dfid() {
        return dfid;
    }

    public ActionType type() {
        return type;
    }

    /** The item as agents receive it (its data may have been rewritten by consistent hashing). */
    public WireItem item() {
        return item;
    }

    /** The item as persisted and as first received, before any rewriting. */
    public WireItem stored() {
        return stored;
    }

    /** Replaces what agents receive; the persisted form stays the original. */
    public void rewrite(WireItem newItem) {
        if (queue != null) {
            throw new IllegalStateException("rewriting a queued request would break its queue index");
        }
        item = newItem;
        hint = null;
    }

    public int archiveId() {
        return item.archiveId();
    }

    public long flags() {
        return item.flags();
    }

    /** What a reply charges for this item against the agent's buffer: header plus hai_len. */
    public long chargedBytes() {
        return 72L + item.haiLen();
    }

    /**
     * The batching tag: the data up to its first NUL, as a string holding one char per byte
     * (ISO-8859-1 maps bytes to chars one to one, so equality of tags is equality of bytes).
     */
    public String hint() {
        if (hint == null) {
            byte[] data = item.data();
            hint = new String(data, 0, cStringLength(data), StandardCharsets.ISO_8859_1);
        }
        return hint;
    }

    /** Replaces the cached tag by an equal string shared with other requests. */
    void shareHint(String equalHint) {
        if (!equalHint.equals(hint())) {
            throw new IllegalArgumentException("tag " + equalHint + " is not the tag of " + this);
        }
        hint = equalHint;
    }

    /** Length of the data seen as a C string: up to the first NUL byte. */
    public static int cStringLength(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        return data.length;
    }

    /** The client running this request, null while it waits in a queue. */
    public Client owner() {
        return owner;
    }

    public void owner(Client client) {
        owner = client;
    }

    public boolean isRunning() {
        return owner != null;
    }

    /** The batch slot whose running counter this request is charged to, if any. */
    public BatchSlot chargedSlot() {
        return chargedSlot;
    }

    public void chargedSlot(BatchSlot slot) {
        chargedSlot = slot;
    }

    public ReportEntry report() {
        return report;
    }

    public void report(ReportEntry entry) {
        report = entry;
    }

    /** For a request, its pending cancel order; for a cancel order, the request it cancels. */
    public Request cancelPeer() {
        return cancelPeer;
    }

    /** Unlinks a cancel order from its request (delivered or dropped). */
    public void detachCancel() {
        if (cancelPeer != null) {
            cancelPeer.cancelPeer = null;
            cancelPeer = null;
        }
    }

    /**
     * Monotonic time (the coordinator's time base, nanoseconds) at which the request entered its
     * current state: queued, or started on its owner.
     */
    public long stateSince() {
        return stateSince;
    }

    public void stateSince(long monotonicNanos) {
        stateSince = monotonicNanos;
    }

    /** The queue holding this request, null when none does. */
    public RequestQueue queue() {
        return queue;
    }

    @Override
    public String toString() {
        return type.wireName() + " " + dfid.format() + " cookie=0x" + Long.toHexString(cookie);
    }
}
