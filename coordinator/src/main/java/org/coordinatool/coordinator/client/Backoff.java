package org.coordinatool.coordinator.client;

/**
 * Pauses between connection attempts: the first pause lasts {@code initialMillis}, each further
 * one twice the previous, never more than {@code maxMillis}.
 */
public record Backoff(long initialMillis, long maxMillis) {

    /** The original clients: a fixed 5 s between attempts. */
    public static final Backoff FIXED_5S = new Backoff(5000, 5000);

    public Backoff {
        if (initialMillis <= 0 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("back-off needs 0 < initial <= max, got " + initialMillis
                    + " and " + maxMillis);
        }
    }

    /** The pause after {@code failures} failed attempts in a row (1 for the first failure). */
    public long delayMillis(int failures) {
        long delay = initialMillis;
        for (int i = 1; i < failures && delay < maxMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxMillis);
    }
}
