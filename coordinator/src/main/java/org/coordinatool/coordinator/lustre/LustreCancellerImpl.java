package org.coordinatool.coordinator.lustre;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.core.LustreCanceller;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmExtent;
import org.coordinatool.lustre.Errno;
import org.coordinatool.lustre.LustreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports cancelled requests to Lustre (ECANCELED) on one worker thread, in the order they were
 * cancelled, so the state loop never waits for liblustreapi. The copytool only exists once the
 * server has registered, the last step of start-up: reports made before wait for it.
 *
 * <p>The calls run concurrently with the receiving thread's reads, as copytools' worker threads
 * do: begin/end use the handle's mount descriptors, not its receive buffer.
 */
public final class LustreCancellerImpl implements LustreCanceller, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LustreCancellerImpl.class);

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lustre-cancel");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<ErrorReporter> reporter = new CompletableFuture<>();

    /** Makes the copytool available; reports waiting for it go out now. */
    public void attach(ErrorReporter copytool) {
        reporter.complete(Objects.requireNonNull(copytool, "copytool"));
    }

    @Override
    public void reportCancelled(WireItem item) {
        HsmActionItem hai = new HsmActionItem(item.action(), item.fid(), item.dfid(),
                new HsmExtent(item.extentOffset(), item.extentLength()), item.cookie(), item.gid(), item.data());
        try {
            worker.execute(() -> report(hai));
        } catch (RejectedExecutionException e) {
            LOG.warn("shutting down: cancel of {} cookie 0x{} not reported to Lustre", hai.dfid(),
                    Long.toHexString(hai.cookie()));
        }
    }

    private void report(HsmActionItem hai) {
        try {
            reporter.join().reportError(hai, Errno.ECANCELED.code());
            LOG.info("reported {} cookie 0x{} as cancelled to Lustre", hai.dfid(), Long.toHexString(hai.cookie()));
        } catch (LustreException e) {
            LOG.warn("cannot report {} cookie 0x{} as cancelled to Lustre: {}", hai.dfid(),
                    Long.toHexString(hai.cookie()), e.getMessage());
        } catch (CompletionException e) {
            LOG.warn("cancel of {} cookie 0x{} not reported: {}", hai.dfid(), Long.toHexString(hai.cookie()),
                    e.getCause().getMessage());
        }
    }

    /**
     * Sends the reports still queued, then stops the worker. Reports that still wait for a
     * copytool that never came are dropped with a warning each.
     */
    @Override
    public void close() {
        reporter.completeExceptionally(new IllegalStateException("the server never registered with Lustre"));
        worker.shutdown();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("cancel reports still pending after 30 s, abandoned");
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }
}
