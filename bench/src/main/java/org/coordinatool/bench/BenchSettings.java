package org.coordinatool.bench;

/**
 * One protocol-level run.
 *
 * @param requests measured requests, injected with the mix at the rate
 * @param rate requests per second, 0 for as fast as the server acknowledges them
 * @param batch items per queue message
 * @param window queue messages sent and not yet acknowledged, at most
 * @param maxBytes the agents' max_bytes (their receive buffer)
 * @param serviceNanos time an agent takes for each item before saying done
 * @param preloadArchives archives queued before the measured requests, with no agent taking
 *        archives, so that the measured requests are scheduled past a deep archive queue
 * @param agentsAfterInjection connect the agents only once every request is queued (for servers
 *        that, like the original, do not schedule after a queue command)
 * @param stallSeconds the run fails when nothing is dispatched or completed for this long
 * @param serverPid process whose CPU time and peak memory are reported, 0 for none
 * @param redisPid likewise for Redis
 */
public record BenchSettings(String host, int port, long requests, ActionMix mix, int dataSize, double rate,
                            int batch, int window, int agents, int maxArchive, int maxRestore, int maxRemove,
                            long maxBytes, long serviceNanos, int archiveId, String fsname,
                            long preloadArchives, boolean agentsAfterInjection, int stallSeconds,
                            long serverPid, long redisPid) {

    /** These settings against another server, whose pids are measured. */
    public BenchSettings against(String newHost, int newPort, long newServerPid, long newRedisPid) {
        return new BenchSettings(newHost, newPort, requests, mix, dataSize, rate, batch, window, agents, maxArchive,
                maxRestore, maxRemove, maxBytes, serviceNanos, archiveId, fsname, preloadArchives,
                agentsAfterInjection, stallSeconds, newServerPid, newRedisPid);
    }
}
