package org.coordinatool.coordinator.metrics;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a sampling task on the thread that owns some state and waits for it, so that a scrape
 * reads gauges the owner published rather than the owner's live, unsynchronised fields. A loop
 * that does not answer in time makes the scrape fail (503): a stuck loop is what an operator
 * must learn about, and stale values would hide it.
 */
public final class LoopSampler {

    /** Well below the usual scrape timeout (10 s), so the scraper sees the 503 and its reason. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Executor loop;
    private final Runnable sample;
    private final Duration timeout;

    /**
     * @param loop   the owner's executor
     * @param sample publishes the owner's gauges; runs on {@code loop}
     */
    public LoopSampler(Executor loop, Runnable sample, Duration timeout) {
        this.loop = loop;
        this.sample = sample;
        this.timeout = timeout;
    }

    /** Samples on the loop, or throws {@link MetricsHttpServer.Unavailable} saying why it could not. */
    public void sampleNow() {
        CompletableFuture<Void> done;
        try {
            done = CompletableFuture.runAsync(sample, loop);
        } catch (RejectedExecutionException e) {
            throw new MetricsHttpServer.Unavailable("stopping: the state loop takes no more work");
        }
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new MetricsHttpServer.Unavailable("the state loop did not answer within " + timeout.toMillis()
                    + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException("sampling failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetricsHttpServer.Unavailable("interrupted");
        }
    }
}
