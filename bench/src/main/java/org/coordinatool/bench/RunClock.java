package org.coordinatool.bench;

/** Monotonic nanoseconds since the run began, never 0, so that 0 can mean "not yet". */
final class RunClock {

    private final long origin = System.nanoTime() - 1;

    long now() {
        return System.nanoTime() - origin;
    }
}
