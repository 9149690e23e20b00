package org.coordinatool.bench;

import java.util.Arrays;

/**
 * Exact percentiles of a set of latencies, by sorting them: the run keeps one timestamp per
 * request anyway (to check that each was dispatched exactly once), so the exact distribution
 * costs one sort at the end (about 0.1 s per million values) and no histogram's bucketing
 * error. Nearest-rank definition: the p-th percentile is the smallest value that at least p% of
 * the values do not exceed.
 *
 * @param count number of values; the others are 0 when it is 0
 */
public record Percentiles(long count, long p50, long p90, long p99, long max) {

    /** Sorts {@code nanos} in place. */
    public static Percentiles of(long[] nanos) {
        if (nanos.length == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        Arrays.sort(nanos);
        return new Percentiles(nanos.length, rank(nanos, 50), rank(nanos, 90), rank(nanos, 99),
                nanos[nanos.length - 1]);
    }

    private static long rank(long[] sorted, int percent) {
        long rank = ((long) sorted.length * percent + 99) / 100;
        return sorted[(int) Math.max(0, rank - 1)];
    }
}
