package org.coordinatool.coordinator.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.core.UnexpectedEvents;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmAction;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.hsm.HsmExtent;
import org.coordinatool.lustre.Errno;
import org.coordinatool.lustre.LustreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LustreReceiverTest {

    /** Lists and errors queued by the test, returned in order as if read from the pipe. */
    static final class QueuedSource implements ActionListSource {
        final BlockingQueue<Object> pending = new LinkedBlockingQueue<>();
        volatile Thread reader;
        private Object taken;

        @Override
        public boolean await(int timeoutMillis) throws LustreException {
            reader = Thread.currentThread();
            try {
                taken = pending.poll(timeoutMillis, TimeUnit.MILLISECONDS);
                return taken != null;
            } catch (InterruptedException e) {
                throw new LustreException("poll", "", Errno.EINTR.code());
            }
        }

        @Override
        public HsmActionList receive() throws LustreException {
            Object next = taken;
            taken = null;
            if (next instanceof LustreException e) {
                throw e;
            }
            return (HsmActionList) next;
        }
    }

    /** Records the lists the state loop receives and on which thread. */
    static final class ListRecorder extends UnexpectedEvents {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        @Override
        public void fromLustre(HsmActionList list) {
            received.add(Thread.currentThread().getName() + " " + list.items().get(0).cookie());
        }

        String next() throws InterruptedException {
            String s = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(s, "no list delivered within 10 s");
            return s;
        }
    }

    static HsmActionList list(long cookie) {
        Fid fid = new Fid(0x200000401L, 1, 0);
        return new HsmActionList(0, 1, "testfs0", List.of(
                new HsmActionItem(HsmAction.ARCHIVE, fid, fid, HsmExtent.WHOLE_FILE, cookie, 0, new byte[0])));
    }

    static LustreException error(Errno errno) {
        return new LustreException("llapi_hsm_copytool_recv", "/mnt", errno.code());
    }

    final DefaultEventLoop stateLoop = new DefaultEventLoop(new DefaultThreadFactory("state-loop"));
    final QueuedSource source = new QueuedSource();
    final ListRecorder events = new ListRecorder();
    final CompletableFuture<LustreException> lost = new CompletableFuture<>();
    final LustreReceiver receiver = new LustreReceiver(source, stateLoop, events, lost::complete);

    @AfterEach
    void stop() throws Exception {
        receiver.stop();
        stateLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void handsListsToTheStateLoopInOrder() throws Exception {
        receiver.start();
        source.pending.add(list(1));
        source.pending.add(list(2));
        String first = events.next();
        assertTrue(first.startsWith("state-loop-") && first.endsWith(" 1"), first);
        assertTrue(events.next().endsWith(" 2"));
        assertTrue(source.reader.getName().equals("lustre-receiver"));
    }

    @Test
    void carriesOnAfterTransientAndOtherErrors() throws Exception {
        receiver.start();
        source.pending.add(error(Errno.EAGAIN));
        source.pending.add(error(Errno.EINTR));
        source.pending.add(error(Errno.EPROTO));
        source.pending.add(error(Errno.EPROTO));
        source.pending.add(list(3));
        assertTrue(events.next().endsWith(" 3"));
        assertTrue(!lost.isDone());
        assertEquals(2, receiver.receiveErrors(), "EPROTO twice; EAGAIN and EINTR are no errors");
        assertEquals(1, receiver.actionLists());
    }

    @Test
    void stopsAndReportsWhenLustreEndsTheRegistration() throws Exception {
        receiver.start();
        source.pending.add(list(4));
        source.pending.add(error(Errno.ESHUTDOWN));
        source.pending.add(list(5));
        assertTrue(events.next().endsWith(" 4"));
        assertEquals(Errno.ESHUTDOWN.code(), lost.get(10, TimeUnit.SECONDS).errno());
        source.reader.join(10_000);
        assertTrue(!source.reader.isAlive());
        assertNull(events.received.poll());
        assertEquals(1, source.pending.size(), "nothing read after the shutdown");
    }

    @Test
    void aClosedPipeIsALossToo() throws Exception {
        receiver.start();
        source.pending.add(error(Errno.EPIPE));
        assertEquals(Errno.EPIPE.code(), lost.get(10, TimeUnit.SECONDS).errno());
    }

    @Test
    void stopEndsAnIdleReceiverPromptly() throws Exception {
        receiver.start();
        source.pending.add(list(6));
        events.next();
        long start = System.nanoTime();
        receiver.stop();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(!source.reader.isAlive());
        assertTrue(!lost.isDone());
    }
}
