package org.coordinatool.tests.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
public final class Await {

    private Await() {
    }

    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = 5;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            pause(pauseMs);
            pauseMs = Math.min(pauseMs * 2, 100);
        }
    }

    /** Like {@link #until} but the failure message shows the last observed value. */
    public static <T> T value(Duration timeout, String what, Supplier<T> probe,
                              java.util.function.Predicate<T> accept) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = 5;
        while (true) {
            T v = probe.get();
            if (accept.test(v)) {
                return v;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what
                        + "; last value: " + v);
            }
            pause(pauseMs);
            pauseMs = Math.min(pauseMs * 2, 100);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
