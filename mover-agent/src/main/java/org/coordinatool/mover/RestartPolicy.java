package org.coordinatool.mover;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * When to restart a copytool that exited on its own: after a pause that doubles with every exit
 * in the window (starting at {@code firstDelay}, at most {@link #MAX_DELAY} or {@code firstDelay}
 * if that is longer), and not at all once more than {@code maxRestarts} exits fall within
 * {@code window}: the copytool is crash-looping and a person has to look at it.
 */
final class RestartPolicy {

    static final Duration MAX_DELAY = Duration.ofSeconds(60);

    sealed interface Decision {
        record Restart(Duration delay, int exitsInWindow) implements Decision {
        }

        record GiveUp(int exitsInWindow) implements Decision {
        }
    }

    private final Duration firstDelay;
    private final int maxRestarts;
    private final long windowNanos;
    private final ArrayDeque<Long> exits = new ArrayDeque<>();

    RestartPolicy(Duration firstDelay, int maxRestarts, Duration window) {
        if (firstDelay.isNegative() || maxRestarts < 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("restart delay and count must not be negative and the window"
                    + " must be positive");
        }
        this.firstDelay = firstDelay;
        this.maxRestarts = maxRestarts;
        this.windowNanos = window.toNanos();
    }

    /** Records an exit at {@code nowNanos} (a monotonic clock) and decides. */
    Decision onExit(long nowNanos) {
        exits.add(nowNanos);
        while (nowNanos - exits.peek() > windowNanos) {
            exits.poll();
        }
        int n = exits.size();
        if (n > maxRestarts) {
            return new Decision.GiveUp(n);
        }
        Duration cap = firstDelay.compareTo(MAX_DELAY) > 0 ? firstDelay : MAX_DELAY;
        Duration delay = firstDelay;
        for (int i = 1; i < n && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return new Decision.Restart(delay.compareTo(cap) > 0 ? cap : delay, n);
    }
}
