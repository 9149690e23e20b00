package org.coordinatool.coordinator.net;

import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval and counts the ones held back, so that a peer
 * hammering the server cannot flood the log.
 */
final class LogRateLimiter {

    /** Returned by {@link #acquire} when the line must not be logged. */
    static final long SUPPRESSED = -1;

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private boolean started;
    private long nextAllowed;
    private long suppressed;

    LogRateLimiter(long intervalNanos, LongSupplier nanoTime) {
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
    }

    /** {@link #SUPPRESSED}, or how many lines were held back since the last one let through. */
    synchronized long acquire() {
        long now = nanoTime.getAsLong();
        if (started && now - nextAllowed < 0) {
            suppressed++;
            return SUPPRESSED;
        }
        started = true;
        nextAllowed = now + intervalNanos;
        long held = suppressed;
        suppressed = 0;
        return held;
    }
}
