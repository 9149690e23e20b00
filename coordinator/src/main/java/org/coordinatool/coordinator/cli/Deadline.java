package org.coordinatool.coordinator.cli;

import java.time.Duration;

/** An optional time limit for the whole run (--timeout). */
record Deadline(long atNanos, Duration limit) {

    static final Deadline NONE = new Deadline(Long.MAX_VALUE, null);

    static Deadline after(Duration limit) {
        return new Deadline(System.nanoTime() + limit.toNanos(), limit);
    }

    boolean unlimited() {
        return limit == null;
    }

    /** Milliseconds left, at least 1 while any time remains, 0 once expired, MAX_VALUE without a limit. */
    long remainingMillis() {
        if (unlimited()) {
            return Long.MAX_VALUE;
        }
        long left = atNanos - System.nanoTime();
        return left <= 0 ? 0 : Math.max(1, left / 1_000_000);
    }

    boolean expired() {
        return remainingMillis() == 0;
    }
}
