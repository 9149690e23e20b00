package org.coordinatool.coordinator.core;

/** A clock that only moves when told to; epoch time moves with the monotonic time. */
final class ManualClock implements Clock {
    static final long EPOCH_START = 1_735_689_600_000_000_000L;
    /** An arbitrary monotonic origin, far from 0 like System.nanoTime's. */
    static final long MONOTONIC_START = 987_654_321_000L;

    long monotonic = MONOTONIC_START;

    @Override
    public long monotonicNanos() {
        return monotonic;
    }

    @Override
    public long epochNanos() {
        return EPOCH_START + (monotonic - MONOTONIC_START);
    }
}
