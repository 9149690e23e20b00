package org.coordinatool.coordinator.core;

import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.coordinator.queue.Request;
import org.coordinatool.coordinator.queue.RequestQueue;

/**
 * Global counters. Running, pending and pending-cancel counts are kept by queue memberships, so
 * they always equal what the queues hold: pending = requests in waiting queues (a request cancelled
 * or dropped while queued leaves the count), running = requests on clients' active lists,
 * pending cancels = cancel orders not yet delivered. Done counters count completions:
 * {@code done} messages per type, and for cancels the orders delivered to agents plus the requests
 * reported cancelled to Lustre.
 */
public final class Stats {

    private final long[] running = new long[ActionType.COUNTED];
    private final long[] pending = new long[ActionType.COUNTED];
    private final long[] done = new long[ActionType.COUNTED];
    private long pendingCancel;
    private long doneCancel;

    /** Membership of the waiting queues (global, per client, per slot). */
    final RequestQueue.Membership waitingMembership = new RequestQueue.Membership() {
        public void entered(Request r) {
            pending[r.type().ordinal()]++;
        }

        public void left(Request r) {
            pending[r.type().ordinal()]--;
        }
    };

    /** Membership of the per-client cancel lists. */
    final RequestQueue.Membership cancelMembership = new RequestQueue.Membership() {
        public void entered(Request r) {
            pendingCancel++;
        }

        public void left(Request r) {
            pendingCancel--;
        }
    };

    /** Membership of one client's active list: running here and that client's current count. */
    RequestQueue.Membership activeMembership(Client client) {
        return new RequestQueue.Membership() {
            public void entered(Request r) {
                running[r.type().ordinal()]++;
                client.current[r.type().ordinal()]++;
            }

            public void left(Request r) {
                running[r.type().ordinal()]--;
                client.current[r.type().ordinal()]--;
            }
        };
    }

    public long running(ActionType type) {
        return running[type.ordinal()];
    }

    public long pending(ActionType type) {
        return pending[type.ordinal()];
    }

    public long done(ActionType type) {
        return done[type.ordinal()];
    }

    public long runningTotal() {
        return running[0] + running[1] + running[2];
    }

    public long pendingCancel() {
        return pendingCancel;
    }

    public long doneCancel() {
        return doneCancel;
    }

    void countDone(ActionType type) {
        done[type.ordinal()]++;
    }

    void countCancelDone() {
        doneCancel++;
    }
}
