package org.coordinatool.bench;

import java.util.List;

/**
 * The figures of one run.
 *
 * @param ok every measured request was dispatched exactly once and completed, and nothing else
 *        went wrong
 * @param offenders what went wrong, empty when ok
 * @param preloadSeconds time to queue the preloaded archives
 * @param enqueueSeconds first measured queue message written to its last acknowledgement
 * @param completionSeconds first measured queue message written to the last done acknowledged
 * @param queuedToDispatched latency from a request's queue message written to its arrival at an agent
 * @param dispatchedToDone from its arrival at an agent to the server's acknowledgement of its done
 * @param server the server's CPU use during the run and its peak memory; null without a pid
 * @param redis likewise for Redis; null without a pid
 * @param bench this load generator's own
 */
public record BenchResult(BenchSettings settings, boolean ok, List<String> offenders, long dispatched,
                          long completed, double elapsedSeconds, double preloadSeconds, double enqueueSeconds,
                          double completionSeconds, Percentiles queuedToDispatched, Percentiles dispatchedToDone,
                          ProcessUsage server, ProcessUsage redis, ProcessUsage bench) {

    public double enqueueRate() {
        return enqueueSeconds > 0 ? settings.requests() / enqueueSeconds : 0;
    }

    public double completionRate() {
        return completionSeconds > 0 && ok ? settings.requests() / completionSeconds : 0;
    }
}
