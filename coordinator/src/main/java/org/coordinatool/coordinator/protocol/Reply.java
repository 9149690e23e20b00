package org.coordinatool.coordinator.protocol;

import java.util.List;
import org.coordinatool.hsm.Fid;

/**
 * A message from the server to a client. Encoding follows the protocol's omission rules: zero
 * integers, null or empty strings and false booleans are left out, except inside items and FIDs.
 */
public sealed interface Reply {

    String command();

    /** Replies that only carry a status: ehlo, done, lock, and every error. */
    record Simple(String command, int status, String error) implements Reply {
        public static Simple ok(String command) {
            return new Simple(command, 0, null);
        }
    }

    record QueueResult(long enqueued, long skipped, int status, String error) implements Reply {
        public String command() { return "queue"; }
    }

    /** A recv reply carrying one hsm_action_list. */
    record ActionList(int archiveId, long flags, String fsname, List<WireItem> items)
            implements Reply {
        public String command() { return "recv"; }
    }

    record StatusReport(Counters counters, long clientsConnected, int locked,
                        List<ClientReport> clients, QueueDump globalQueues) implements Reply {
        public String command() { return "status"; }
    }

    record Counters(long runningRestore, long runningArchive, long runningRemove,
                    long pendingRestore, long pendingArchive, long pendingRemove,
                    long pendingCancel,
                    long doneRestore, long doneArchive, long doneRemove, long doneCancel) {
    }

    /**
     * @param state wire name: init, ready, waiting, disconnected
     * @param disconnectedTimestamp ns since the epoch, 0 when connected
     * @param queues per-client dumps, null unless a verbose status was asked for
     * @param limits the limits of the client's last recv (an extension: null from servers that
     *               do not send them)
     */
    record ClientReport(String clientId,
                        long currentRestore, long currentArchive, long currentRemove,
                        long doneRestore, long doneArchive, long doneRemove,
                        String state, List<BatchReport> batches, long disconnectedTimestamp,
                        ClientQueueDump queues, Limits limits) {
    }

    /** The max_* of a client's last recv; negative means unlimited. */
    record Limits(long maxRestore, long maxArchive, long maxRemove) {
    }

    /**
     * @param hint null for a free slot
     * @param expireIdleS absolute epoch seconds, 0 = none
     * @param waitingArchive null unless verbose
     */
    record BatchReport(String hint, long currentCount, long expireIdleS, long expireMaxS,
                       List<DumpEntry> waitingArchive) {
    }

    record ClientQueueDump(List<DumpEntry> activeRequests, List<DumpEntry> waitingRestore,
                           List<DumpEntry> waitingRemove, List<DumpEntry> waitingArchive,
                           List<DumpEntry> cancels) {
    }

    record QueueDump(List<DumpEntry> waitingRestore, List<DumpEntry> waitingRemove,
                     List<DumpEntry> waitingArchive) {
    }

    /**
     * The answer to {@code find}: every request known for the file, empty when there is none.
     *
     * @param fid the file's dfid, resolved from the path when one was asked for
     */
    record FindResult(Fid fid, List<Found> requests) implements Reply {
        public String command() { return "find"; }
    }

    /**
     * Where one request of a file is.
     *
     * @param action archive, restore, remove, or cancel for a cancel order waiting to be delivered
     * @param state queued (in {@code queue}) or running (on {@code clientId})
     * @param queue for a queued request: global, client (bound to {@code clientId}), batch (slot
     *              {@code slot} of {@code clientId}) or cancels (for delivery to {@code clientId});
     *              null while running
     * @param clientId the client running it or holding the queue, null for the global queues
     * @param position 1-based position in its queue, 0 while running
     * @param sinceEpochNanos when it entered its current state, ns since the epoch
     * @param cancelPending a running request whose cancel order is waiting to be delivered
     */
    record Found(String action, long cookie, int archiveId, String state, String queue, String clientId,
                 int slot, long position, long queueLength, long sinceEpochNanos, boolean cancelPending) {
    }

    /**
     * A queue entry in a verbose status dump. On the wire the FID member is named "hai_fid" but,
     * as in the original server, it holds the request's dfid (its identity); data is cut at the
     * first NUL.
     */
    record DumpEntry(Fid dfid, long cookie, byte[] data) {
    }
}
