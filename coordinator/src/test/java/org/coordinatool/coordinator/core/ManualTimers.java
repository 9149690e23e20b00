package org.coordinatool.coordinator.core;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/** Timers run by moving a {@link ManualClock} forward: due tasks run at their own time, in order. */
final class ManualTimers implements Timers {

    private static final class Task implements Cancellable {
        final long at;
        final long order;
        final Runnable runnable;
        boolean cancelled;

        Task(long at, long order, Runnable runnable) {
            this.at = at;
            this.order = order;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final ManualClock clock;
    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.at).thenComparingLong(t -> t.order));
    private long scheduled;
    /** How many tasks have run. */
    int runs;

    ManualTimers(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("negative delay " + delayNanos);
        }
        Task t = new Task(clock.monotonic + delayNanos, scheduled++, task);
        tasks.add(t);
        return t;
    }

    /** Moves time forward, running every task that falls due on the way at its due time. */
    void advance(long amount, TimeUnit unit) {
        long target = clock.monotonic + unit.toNanos(amount);
        while (true) {
            Task next = tasks.peek();
            if (next == null || next.at > target) {
                break;
            }
            tasks.poll();
            if (next.cancelled) {
                continue;
            }
            clock.monotonic = Math.max(clock.monotonic, next.at);
            runs++;
            next.runnable.run();
        }
        clock.monotonic = target;
    }

    void advanceMillis(long ms) {
        advance(ms, TimeUnit.MILLISECONDS);
    }

    /** Monotonic time of the next live task, or -1. */
    long nextDue() {
        return tasks.stream().filter(t -> !t.cancelled).mapToLong(t -> t.at).min().orElse(-1);
    }
}
