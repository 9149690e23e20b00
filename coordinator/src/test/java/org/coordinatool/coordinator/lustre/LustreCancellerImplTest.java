package org.coordinatool.coordinator.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmExtent;
import org.coordinatool.lustre.Errno;
import org.coordinatool.lustre.LustreException;
import org.junit.jupiter.api.Test;

class LustreCancellerImplTest {

    record Report(HsmActionItem item, int errno, String thread) {
    }

    final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
    final LustreCancellerImpl canceller = new LustreCancellerImpl();

    static WireItem cancel(long cookie) {
        Fid fid = new Fid(0x200000401L, 7, 0);
        Fid dfid = new Fid(0x200000401L, 8, 0);
        return new WireItem(23, fid, dfid, 4096, 8192, cookie, 5, 2, 0, "x=1".getBytes(StandardCharsets.UTF_8),
                1L, null);
    }

    Report next() throws InterruptedException {
        Report r = reports.poll(10, TimeUnit.SECONDS);
        assertNotNull(r, "no report within 10 s");
        return r;
    }

    @Test
    void reportsEcanceledOnItsOwnThreadInOrderOnceAttached() throws Exception {
        canceller.reportCancelled(cancel(1));
        canceller.reportCancelled(cancel(2));
        assertNull(reports.poll(100, TimeUnit.MILLISECONDS), "nothing before the copytool exists");
        canceller.attach((item, errno) -> reports.add(new Report(item, errno, Thread.currentThread().getName())));
        Report first = next();
        assertEquals(new HsmActionItem(23, new Fid(0x200000401L, 7, 0), new Fid(0x200000401L, 8, 0),
                new HsmExtent(4096, 8192), 1, 5, "x=1".getBytes(StandardCharsets.UTF_8)), first.item());
        assertEquals(Errno.ECANCELED.code(), first.errno());
        assertEquals("lustre-cancel", first.thread());
        assertEquals(2, next().item().cookie());
        canceller.close();
    }

    @Test
    void aFailedReportDoesNotStopTheNextOnes() throws Exception {
        canceller.attach((item, errno) -> {
            if (item.cookie() == 1) {
                throw new LustreException("llapi_hsm_action_begin", "", Errno.ENOENT.code());
            }
            reports.add(new Report(item, errno, Thread.currentThread().getName()));
        });
        canceller.reportCancelled(cancel(1));
        canceller.reportCancelled(cancel(2));
        assertEquals(2, next().item().cookie());
        canceller.close();
    }

    @Test
    void closeSendsWhatIsQueuedAndRefusesMore() throws Exception {
        canceller.attach((item, errno) -> {
            reports.add(new Report(item, errno, Thread.currentThread().getName()));
        });
        for (int i = 0; i < 50; i++) {
            canceller.reportCancelled(cancel(i));
        }
        canceller.close();
        assertEquals(50, reports.size());
        canceller.reportCancelled(cancel(99));
        assertEquals(50, reports.size());
    }

    @Test
    void closeWithoutCopytoolDropsPendingReports() {
        canceller.reportCancelled(cancel(1));
        canceller.close();
        assertNull(reports.poll());
    }
}
