package org.coordinatool.coordinator.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.report.ReportWriter;
import org.coordinatool.coordinator.report.Reporter;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

class RequestQueueTest {

    private final Sequencer sequencer = new Sequencer();
    private final int[] inside = new int[1];
    private final RequestQueue.Membership counting = new RequestQueue.Membership() {
        public void entered(Request r) {
            inside[0]++;
        }

        public void left(Request r) {
            inside[0]--;
        }
    };

    static Request request(int n, int archiveId, long flags, String data) {
        return Request.of(new WireItem(20, new Fid(1, n, 0), new Fid(1, n, 0), 0, -1, n, 0, archiveId, flags,
                data.getBytes(StandardCharsets.ISO_8859_1), 0, null));
    }

    static Request request(int n, int archiveId) {
        return request(n, archiveId, 0, "");
    }

    private static List<Integer> numbers(RequestQueue q) {
        List<Integer> out = new ArrayList<>();
        q.forEach(r -> out.add(r.dfid().oid()));
        return out;
    }

    @Test
    void requestsOfOneTagShareOneTagString() {
        RequestQueue q = new RequestQueue(sequencer, true, counting);
        Request first = request(1, 1, 0, "tag-a");
        Request second = request(2, 1, 0, "tag-a");
        Request other = request(3, 1, 0, "tag-b");
        Request front = request(4, 1, 0, "tag-a");
        q.addLast(first);
        q.addLast(second);
        q.addLast(other);
        q.addFirst(front);

        assertSame(first.hint(), second.hint());
        assertSame(first.hint(), front.hint());
        assertEquals("tag-a", first.hint());
        assertEquals("tag-b", other.hint());
        assertEquals(List.of(4, 1, 2, 3), numbers(q));
    }

    @Test
    void keepsInsertionOrderAcrossKeys() {
        RequestQueue q = new RequestQueue(sequencer, false, counting);
        for (int i = 0; i < 9; i++) {
            q.addLast(request(i, 1 + i % 3, i % 2, ""));
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), numbers(q));
        assertEquals(9, q.size());
        assertEquals(9, inside[0]);
        assertEquals(0, q.first().dfid().oid());
    }

    @Test
    void firstAcceptedSkipsExcludedKeysWithoutWalkingThem() {
        RequestQueue q = new RequestQueue(sequencer, false, counting);
        for (int i = 0; i < 10_000; i++) {
            q.addLast(request(i, 1));
        }
        q.addLast(request(10_000, 2));
        q.addLast(request(10_001, 3));
        q.addLast(request(10_002, 2));
        assertEquals(10_000, q.first(id -> id != 1).dfid().oid());
        assertEquals(10_001, q.first(id -> id == 3).dfid().oid());
        assertNull(q.first(id -> id == 4));
        assertEquals(10_000, q.first(2, 0).dfid().oid());
        assertNull(q.first(2, 1));
    }

    @Test
    void removeIsLocalAndDropsEmptyKeys() {
        RequestQueue q = new RequestQueue(sequencer, false, counting);
        Request a = request(1, 1);
        Request b = request(2, 2);
        Request c = request(3, 1);
        q.addLast(a);
        q.addLast(b);
        q.addLast(c);
        q.remove(b);
        assertNull(q.first(2, 0));
        assertNull(b.queue());
        q.remove(a);
        assertSame(c, q.first());
        assertEquals(List.of(3), numbers(q));
        assertEquals(1, inside[0]);
        assertThrows(IllegalStateException.class, () -> q.remove(a));
        assertThrows(IllegalStateException.class, () -> q.addLast(c));
    }

    @Test
    void addFirstGoesBeforeEverythingInEveryKey() {
        RequestQueue q = new RequestQueue(sequencer, false, counting);
        q.addLast(request(1, 1));
        q.addLast(request(2, 2));
        q.addFirst(request(3, 2));
        q.addFirst(request(4, 1));
        assertEquals(List.of(4, 3, 1, 2), numbers(q));
        assertEquals(4, q.first(1, 0).dfid().oid());
    }

    @Test
    void moveAllToFrontPreservesOrder() {
        RequestQueue from = new RequestQueue(sequencer, false, counting);
        RequestQueue to = new RequestQueue(sequencer, false, counting);
        to.addLast(request(10, 1));
        to.addLast(request(11, 2));
        from.addLast(request(1, 2));
        from.addLast(request(2, 1));
        from.addLast(request(3, 2));
        from.moveAllToFront(to);
        assertTrue(from.isEmpty());
        assertEquals(List.of(1, 2, 3, 10, 11), numbers(to));
        assertEquals(5, inside[0]);
    }

    @Test
    void moveTaggedMovesOnlyThatTagAndAcceptedArchiveIdsInOrder() {
        RequestQueue from = new RequestQueue(sequencer, true, counting);
        RequestQueue slot = new RequestQueue(sequencer, false, counting);
        from.addLast(request(1, 1, 0, "a"));
        from.addLast(request(2, 1, 0, "b"));
        from.addLast(request(3, 2, 0, "a"));
        from.addLast(request(4, 1, 4, "a\0ignored"));
        from.addLast(request(5, 3, 0, "a"));
        from.addLast(request(6, 1, 0, "ab"));
        int moved = from.moveTagged("a", id -> id != 3, slot);
        assertEquals(3, moved);
        assertEquals(List.of(1, 3, 4), numbers(slot));
        assertEquals(List.of(2, 5, 6), numbers(from));
        assertEquals(0, from.moveTagged("a", id -> id == 1, slot));
        RequestQueue plain = new RequestQueue(sequencer, false, counting);
        assertThrows(IllegalStateException.class, () -> plain.moveTagged("a", id -> true, slot));
    }

    @Test
    void tagChainsSurviveRemovalsFromTheMiddle() {
        RequestQueue q = new RequestQueue(sequencer, true, counting);
        List<Request> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Request r = request(i, 1, 0, "t");
            all.add(r);
            q.addLast(r);
        }
        q.remove(all.get(0));
        q.remove(all.get(3));
        q.remove(all.get(5));
        q.addFirst(request(9, 1, 0, "t"));
        RequestQueue dest = new RequestQueue(sequencer, false, counting);
        q.moveTagged("t", id -> true, dest);
        assertEquals(List.of(9, 1, 2, 4), numbers(dest));
        assertTrue(q.isEmpty());
    }

    @Test
    void countsReportedRequests() {
        RequestQueue q = new RequestQueue(sequencer, false, counting);
        Reporter reporter = new Reporter(ReportWriter.NONE, "cr", 0, () -> 0, t -> { });
        Request reported = request(1, 1, 0, "cr=r1");
        reported.report(reporter.register(reported.item().data(), reported.dfid()));
        Request plain = request(2, 1);
        q.addLast(plain);
        assertEquals(0, q.reportedCount());
        q.addLast(reported);
        assertEquals(1, q.reportedCount());
        q.remove(reported);
        assertEquals(0, q.reportedCount());
    }

    @Test
    void rewriteIsRefusedWhileQueued() {
        RequestQueue q = new RequestQueue(sequencer, true, counting);
        Request r = request(1, 1, 0, "g=abc");
        q.addLast(r);
        assertThrows(IllegalStateException.class, () -> r.rewrite(r.item().withData(new byte[] {'g'})));
        q.remove(r);
        r.rewrite(r.item().withData("g=7".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("g=7", r.hint());
        assertEquals("g=abc", new String(r.stored().data(), StandardCharsets.US_ASCII));
    }

    /** Positions across sub-queues, with front insertions and removals, match the walk order. */
    @Test
    void positionOfMatchesQueueOrder() {
        RequestQueue q = new RequestQueue(sequencer, false, counting);
        java.util.Random random = new java.util.Random(3);
        List<Request> inQueue = new ArrayList<>();
        for (int step = 0; step < 2000; step++) {
            int choice = random.nextInt(4);
            if (choice == 0 && !inQueue.isEmpty()) {
                q.remove(inQueue.remove(random.nextInt(inQueue.size())));
            } else {
                Request r = request(step, 1 + random.nextInt(3), random.nextInt(2), "");
                if (choice == 1) {
                    q.addFirst(r);
                } else {
                    q.addLast(r);
                }
                inQueue.add(r);
            }
            if (step % 50 == 0) {
                List<Request> order = q.toList();
                for (int i = 0; i < order.size(); i++) {
                    assertEquals(i + 1, q.positionOf(order.get(i)));
                }
            }
        }
        Request outside = request(99_999, 1);
        assertThrows(IllegalStateException.class, () -> q.positionOf(outside));
    }
}
