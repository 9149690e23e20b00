package org.coordinatool.coordinator.lustre;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.coordinatool.coordinator.core.CoordinatorEvents;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.lustre.Errno;
import org.coordinatool.lustre.LustreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that receives action lists from Lustre and hands each one to the state loop.
 *
 * <p>ESHUTDOWN (the filesystem is going away) and EPIPE (the coordinator closed the pipe) end
 * the copytool's registration: the thread stops and reports the loss, since the server cannot get
 * work any more. Other receive errors are logged and retried with a growing pause, so a
 * persistent failure does not spin.
 */
public final class LustreReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(LustreReceiver.class);

    /** Longest wait between two checks for a stop request. */
    static final int WAIT_MILLIS = 200;
    private static final long MAX_PAUSE_MILLIS = 5000;

    private final ActionListSource source;
    private final Executor stateLoop;
    private final CoordinatorEvents events;
    private final Consumer<LustreException> onLost;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Thread thread;
    private final LongAdder actionLists = new LongAdder();
    private final LongAdder receiveErrors = new LongAdder();

    /**
     * @param onLost called on the receiving thread when Lustre ended the registration
     */
    public LustreReceiver(ActionListSource source, Executor stateLoop, CoordinatorEvents events,
                          Consumer<LustreException> onLost) {
        this.source = Objects.requireNonNull(source, "source");
        this.stateLoop = Objects.requireNonNull(stateLoop, "stateLoop");
        this.events = Objects.requireNonNull(events, "events");
        this.onLost = Objects.requireNonNull(onLost, "onLost");
        this.thread = new Thread(this::run, "lustre-receiver");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Stops receiving and waits for the thread to end; a list already read is still delivered. */
    public void stop() throws InterruptedException {
        stopRequested.countDown();
        if (thread.isAlive()) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive()) {
                LOG.warn("Lustre receiver did not stop within 10 s");
            }
        }
    }

    /** Action lists received since start. */
    public long actionLists() {
        return actionLists.sum();
    }

    /** Receives that failed since start (each retried after a pause). */
    public long receiveErrors() {
        return receiveErrors.sum();
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    private void run() {
        int failures = 0;
        while (!stopping()) {
            try {
                if (!source.await(WAIT_MILLIS)) {
                    continue;
                }
                HsmActionList list = source.receive();
                failures = 0;
                actionLists.increment();
                LOG.debug("received an action list of {} items for archive {}", list.count(),
                        list.archiveIdUnsigned());
                stateLoop.execute(() -> events.fromLustre(list));
            } catch (LustreException e) {
                if (e.is(Errno.EAGAIN) || e.is(Errno.EINTR)) {
                    continue;
                }
                if (e.is(Errno.ESHUTDOWN) || e.is(Errno.EPIPE)) {
                    LOG.error("Lustre ended the copytool registration: {}", e.getMessage());
                    onLost.accept(e);
                    return;
                }
                failures++;
                receiveErrors.increment();
                LOG.error("receiving from Lustre failed: {}", e.getMessage());
                pause(failures);
            } catch (RejectedExecutionException e) {
                LOG.debug("state loop stopped, Lustre receiver ends");
                return;
            } catch (RuntimeException e) {
                failures++;
                receiveErrors.increment();
                LOG.error("receiving from Lustre failed", e);
                pause(failures);
            }
        }
    }

    private void pause(int failures) {
        long millis = Math.min(MAX_PAUSE_MILLIS, 10L << Math.min(failures, 20));
        try {
            stopRequested.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested.countDown();
        }
    }
}
