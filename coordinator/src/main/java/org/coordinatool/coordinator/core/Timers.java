package org.coordinatool.coordinator.core;

/** Runs a task on the state loop after a delay; the event loop's scheduler in production. */
public interface Timers {

    Cancellable schedule(long delayNanos, Runnable task);

    interface Cancellable {
        void cancel();
    }
}
