package org.coordinatool.coordinator.core;

import java.util.List;

/**
 * The coordinator's gauges at one instant, taken on the state loop and read by other threads.
 * Arrays are indexed by {@link org.coordinatool.coordinator.queue.ActionType} ordinal.
 *
 * @param waiting          requests waiting in any queue (global, per client, batch slots), by type
 * @param running          requests running on agents, by type
 * @param pendingCancels   cancel orders not yet delivered to their agent
 * @param connectedAgents  connected clients counted as agents
 * @param lockMode         0 unlocked, 1 locked, 2 lock-and-quit
 * @param clients          connected clients with an id, then disconnected ones within their grace period
 */
public record CoordinatorSample(long[] waiting, long[] running, long pendingCancels, int connectedAgents,
                                int lockMode, List<ClientSample> clients) {

    public CoordinatorSample {
        waiting = waiting.clone();
        running = running.clone();
        clients = List.copyOf(clients);
    }

    /**
     * One client's share.
     *
     * @param queued  requests waiting in queues bound to this client (its own and its batch slots), by type
     * @param running requests running on it, by type
     */
    public record ClientSample(String id, boolean connected, long[] queued, long[] running) {

        public ClientSample {
            queued = queued.clone();
            running = running.clone();
        }
    }
}
