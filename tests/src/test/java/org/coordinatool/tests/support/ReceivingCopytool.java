package org.coordinatool.tests.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.lustre.Copytool;
import org.coordinatool.lustre.Lustre;
import org.coordinatool.lustre.LustreException;

/**
 * A copytool registered through the production jnr-ffi binding whose receive loop runs on its own
 * thread, so a test can wait for action lists with a deadline and decide what to do with each
 * item.
 */
public final class ReceivingCopytool implements AutoCloseable {

    private final Copytool copytool;
    private final BlockingQueue<HsmActionList> received = new LinkedBlockingQueue<>();
    private final Thread receiver;
    private volatile LustreException failure;

    public ReceivingCopytool(Lustre lustre, String mountPoint, int... archives) throws LustreException {
        copytool = lustre.registerCopytool(mountPoint, archives, 0);
        receiver = new Thread(this::receiveLoop, "test-copytool-recv");
        receiver.setDaemon(true);
        receiver.start();
    }

    private void receiveLoop() {
        try {
            while (true) {
                received.add(copytool.recv());
            }
        } catch (LustreException e) {
            failure = e;
        }
    }

    public Copytool copytool() {
        return copytool;
    }

    /** The next action list, or an assertion failure after {@code timeout}. */
    public HsmActionList next(Duration timeout) throws InterruptedException {
        HsmActionList hal = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (hal == null) {
            throw new AssertionError("no action list within " + timeout
                    + (failure == null ? "" : "; receive failed: " + failure));
        }
        return hal;
    }

    /** Collects items until {@code count} have arrived. */
    public List<HsmActionItem> items(int count, Duration timeout) throws InterruptedException {
        List<HsmActionItem> items = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (items.size() < count) {
            long left = deadline - System.nanoTime();
            items.addAll(next(Duration.ofNanos(Math.max(left, 1))).items());
        }
        return items;
    }

    /** What arrived so far without waiting. */
    public List<HsmActionItem> drain() {
        List<HsmActionList> lists = new ArrayList<>();
        received.drainTo(lists);
        List<HsmActionItem> items = new ArrayList<>();
        lists.forEach(l -> items.addAll(l.items()));
        return items;
    }

    @Override
    public void close() throws LustreException {
        copytool.close();
    }
}
