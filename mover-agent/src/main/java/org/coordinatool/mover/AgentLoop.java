package org.coordinatool.mover;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the agent's state. Every event (shim messages, coordinator replies,
 * the copytool's exit, timers) runs on it, one at a time, so the state needs no locking.
 */
final class AgentLoop implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code task} on the loop; dropped once the agent has finished (nothing is left to act on). */
    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("internal error in the agent", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("agent finished, event dropped");
        }
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return executor.schedule(() -> execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Computes a value on the loop for another thread.
     *
     * @throws InterruptedException when the agent has finished or the computation was refused
     */
    <T> T call(Callable<T> task) throws InterruptedException {
        try {
            return executor.submit(task).get();
        } catch (RejectedExecutionException | ExecutionException e) {
            throw new InterruptedException("agent event loop: " + e.getMessage());
        }
    }

    void shutdown() {
        executor.shutdown();
    }
}
