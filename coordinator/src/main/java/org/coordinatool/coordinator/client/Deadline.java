package org.coordinatool.coordinator.client;

import java.time.Duration;

/** An optional time limit for reaching the server and hearing from it. */
public record Deadline(long atNanos, Duration limit) {

    public static final Deadline NONE = new Deadline(Long.MAX_VALUE, null);

    public static Deadline after(Duration limit) {
        return new Deadline(System.nanoTime() + limit.toNanos(), limit);
    }

    public boolean unlimited() {
        return limit == null;
    }

    /** Milliseconds left, at least 1 while any time remains, 0 once expired, MAX_VALUE without a limit. */
    public long remainingMillis() {
        if (unlimited()) {
            return Long.MAX_VALUE;
        }
        long left = atNanos - System.nanoTime();
        return left <= 0 ? 0 : Math.max(1, left / 1_000_000);
    }

    public boolean expired() {
        return remainingMillis() == 0;
    }
}
