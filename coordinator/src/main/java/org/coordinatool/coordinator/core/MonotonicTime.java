package org.coordinatool.coordinator.core;

/**
 * Monotonic nanoseconds since the coordinator started. Deadlines are compared in this time base,
 * which starts at 0 and cannot wrap in practice, so "no deadline" can be {@link Long#MAX_VALUE}.
 */
final class MonotonicTime {
    private final Clock clock;
    private final long origin;

    MonotonicTime(Clock clock) {
        this.clock = clock;
        this.origin = clock.monotonicNanos();
    }

    long now() {
        return clock.monotonicNanos() - origin;
    }

    /** Epoch nanoseconds corresponding to a monotonic time, for display. */
    long toEpochNanos(long monotonic) {
        return clock.epochNanos() + (monotonic - now());
    }
}
