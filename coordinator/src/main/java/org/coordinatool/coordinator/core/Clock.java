package org.coordinatool.coordinator.core;

/**
 * Time source. Deadlines (grace periods, batch expiry, reporting ticks) use the monotonic clock so
 * wall-clock jumps cannot fire or stall them; the epoch clock only stamps values that leave the
 * process (item timestamps, status fields).
 */
public interface Clock {
    long monotonicNanos();

    long epochNanos();

    Clock SYSTEM = new Clock() {
        public long monotonicNanos() { return System.nanoTime(); }

        public long epochNanos() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    };
}
