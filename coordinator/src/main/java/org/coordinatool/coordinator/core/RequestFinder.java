package org.coordinatool.coordinator.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.queue.ActionType;
import org.coordinatool.coordinator.queue.BatchSlot;
import org.coordinatool.coordinator.queue.Request;
import org.coordinatool.coordinator.queue.RequestQueue;
import org.coordinatool.hsm.Fid;

/**
 * Answers {@code find}: where each request of a file is. The requests come from the dfid index
 * (O(requests of the file)); naming the queue that holds one looks at the global queues and each
 * client's queues (O(clients)); its position walks at most half of that queue.
 */
final class RequestFinder {

    private static final Comparator<Reply.Found> ORDER = Comparator.comparingLong(Reply.Found::cookie)
            .thenComparing(f -> f.action().equals(ActionType.CANCEL.wireName()));

    private final Requests requests;
    private final Clients clients;
    private final MonotonicTime time;

    RequestFinder(Requests requests, Clients clients, MonotonicTime time) {
        this.requests = requests;
        this.clients = clients;
        this.time = time;
    }

    Reply.FindResult find(Fid dfid) {
        List<Reply.Found> found = new ArrayList<>();
        requests.forEachOf(dfid, r -> {
            found.add(describe(r));
            Request order = r.cancelPeer();
            if (order != null) {
                found.add(queued(order, "cancels", r.owner(), 0));
            }
        });
        found.sort(ORDER);
        return new Reply.FindResult(dfid, found);
    }

    private Reply.Found describe(Request r) {
        if (r.isRunning()) {
            return new Reply.Found(r.type().wireName(), r.cookie(), r.archiveId(), "running", null, r.owner().id(),
                    0, 0, 0, epochNanos(r), r.cancelPeer() != null);
        }
        RequestQueue q = r.queue();
        if (q == requests.global(r.type())) {
            return queued(r, "global", null, 0);
        }
        for (Client c : clients.allClients()) {
            if (q == c.waiting(r.type())) {
                return queued(r, "client", c, 0);
            }
            for (BatchSlot s : c.slots()) {
                if (q == s.queue()) {
                    return queued(r, "batch", c, s.index());
                }
            }
        }
        throw new IllegalStateException(r + " is neither running nor in a known queue");
    }

    private Reply.Found queued(Request r, String queue, Client holder, int slot) {
        RequestQueue q = r.queue();
        return new Reply.Found(r.type().wireName(), r.cookie(), r.archiveId(), "queued", queue,
                holder == null ? null : holder.id(), slot, q.positionOf(r), q.size(), epochNanos(r), false);
    }

    private long epochNanos(Request r) {
        return time.toEpochNanos(r.stateSince());
    }
}
