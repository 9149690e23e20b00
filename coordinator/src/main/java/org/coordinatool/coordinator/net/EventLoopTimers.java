package org.coordinatool.coordinator.net;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.core.Timers;

/**
 * {@link Timers} on the state loop's own scheduler, so timer tasks run on the thread that owns
 * the state. Netty measures delays with {@code System.nanoTime}, a monotonic clock.
 */
public final class EventLoopTimers implements Timers {

    private final EventExecutor stateLoop;

    public EventLoopTimers(EventExecutor stateLoop) {
        this.stateLoop = Objects.requireNonNull(stateLoop, "stateLoop");
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        ScheduledFuture<?> future = stateLoop.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
