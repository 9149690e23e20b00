package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.EhloTest.client;
import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.junit.jupiter.api.Test;

class BatchingTest {

    /** An agent that finishes, one second later, whatever it received, then asks for more. */
    private static final class Mover {
        final RecordingConnection conn;
        final List<WireItem> running = new ArrayList<>();
        final List<Integer> started = new ArrayList<>();
        boolean waiting;

        Mover(RecordingConnection conn) {
            this.conn = conn;
        }

        void collect() {
            for (Reply.ActionList l : conn.takeActionLists()) {
                waiting = false;
                for (WireItem item : l.items()) {
                    running.add(item);
                    started.add(item.dfid().oid());
                }
            }
        }

        void step(Harness h) {
            for (WireItem item : new ArrayList<>(running)) {
                h.done(conn, item);
            }
            running.clear();
            collect();
            if (!waiting) {
                waiting = true;
                h.recv(conn, 3, -1, -1, 1 << 20);
                collect();
            }
        }
    }

    /** Items of tag t are numbered t*1000 + k. */
    private static void inject(Harness h, int tag, String data, int from, int count) {
        WireItem[] items = new WireItem[count];
        for (int k = 0; k < count; k++) {
            items[k] = Items.archive(tag * 1000 + from + k, data);
        }
        h.lustre(items);
    }

    private static Set<Integer> tags(List<Mover> movers) {
        Set<Integer> tags = new TreeSet<>();
        for (Mover m : movers) {
            for (int n : m.started) {
                tags.add(n / 1000);
            }
        }
        return tags;
    }

    private static int startedCount(List<Mover> movers) {
        int n = 0;
        for (Mover m : movers) {
            n += m.started.size();
        }
        return n;
    }

    /**
     * Slices of 10 s idle / 20 s max. At 0 s one tag1 archive and ten tag2 ones; at 1 s ten each of
     * tags 3, 4, 5; more tag2 every 5 s until 25 s.
     */
    private static void timeline(Harness h, List<Mover> movers) {
        int tag2 = 10;
        for (int t = 0; t <= 400; t++) {
            for (Mover m : movers) {
                m.step(h);
            }
            if (t == 0) {
                inject(h, 1, "tag=n0", 0, 1);
                inject(h, 2, "ignored,tag=n1", 0, 10);
            } else if (t == 1) {
                inject(h, 3, "tag=n2,ignored", 0, 10);
                inject(h, 4, "tag=n2,different", 0, 10);
                inject(h, 5, "tag=n1,different", 0, 10);
            } else if (t % 5 == 0 && t <= 25) {
                inject(h, 2, "ignored,tag=n1", tag2, 10);
                tag2 += 10;
            }
            for (Mover m : movers) {
                m.collect();
            }
            if (t == 5) {
                assertEquals(Set.of(1, 2), tags(movers), "at 5 s only tag1 and tag2 have started");
            }
            if (t == 11) {
                Set<Integer> late = tags(movers);
                late.removeAll(Set.of(1, 2));
                assertEquals(1, late.size(), "at 11 s exactly one of tags 3, 4, 5 has started: " + late);
            }
            h.advanceMillis(1000);
        }
        assertEquals(1 + 60 + 30, startedCount(movers));
        Reply.StatusReport s = h.status(4);
        assertEquals(0, s.counters().pendingArchive());
        assertEquals(0, s.counters().runningArchive());
        assertEquals(91, s.counters().doneArchive());
    }

    @Test
    void twoMoversOneSlotEach() {
        Harness h = Harness.builder().batching(10, 20, 1).build();
        List<Mover> movers = List.of(new Mover(h.agent("mover_0")), new Mover(h.agent("mover_1")));
        timeline(h, movers);
    }

    @Test
    void oneMoverTwoSlots() {
        Harness h = Harness.builder().batching(10, 20, 2).build();
        timeline(h, List.of(new Mover(h.agent("mover_0"))));
    }

    @Test
    void agentOnlyReceivesArchivesOfItsSlotsTag() {
        Harness h = Harness.builder().batching(10, 0, 1).build();
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1, "a"), Items.archive(2, "b"), Items.archive(3, "a"));
        h.recv(c);
        assertEquals(List.of(1, 3), received(c));
        h.done(c, Items.archive(1));
        h.done(c, Items.archive(3));
        h.recv(c);
        assertTrue(c.actionLists().isEmpty(), "slot a is reserved for 10 s after its last work");
        h.advanceMillis(9999);
        assertTrue(c.actionLists().isEmpty());
        h.advanceMillis(1);
        assertEquals(List.of(2), received(c), "idle expiry lets the slot take tag b");
    }

    @Test
    void idleTimeCountsFromTheLastArchiveSentFromTheSlotQueue() {
        Harness h = Harness.builder().batching(10, 0, 1).build();
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1, "a"), Items.archive(2, "a"), Items.archive(3, "b"));
        h.recv(c, 1, -1, -1, 1 << 20);
        assertEquals(List.of(1), received(c), "the slot takes tag a; 2 waits in it");
        h.advanceMillis(8000);
        h.done(c, Items.archive(1));
        h.recv(c, 1, -1, -1, 1 << 20);
        assertEquals(List.of(2), received(c), "sent from the slot's queue 8 s after the slot was taken");
        h.done(c, Items.archive(2));
        h.recv(c, 1, -1, -1, 1 << 20);
        h.advanceMillis(9999);
        assertTrue(c.actionLists().isEmpty(), "tag a holds the slot until 10 s after its last archive was sent");
        h.advanceMillis(1);
        assertEquals(List.of(3), received(c), "idle for 10 s since the last send: tag b takes the slot");
    }

    @Test
    void leftoverRetakingTheSlotHoldsItForTheWholeIdleTime() {
        Harness h = Harness.builder().batching(10, 20, 1).build();
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1, "a"), Items.archive(2, "a"), Items.archive(10, "b"), Items.archive(20, "c"));
        h.recv(c, 1, -1, -1, 1 << 20);
        assertEquals(List.of(1), received(c));
        h.advanceMillis(20_000);
        h.done(c, Items.archive(1));
        h.recv(c, 1, -1, -1, 1 << 20);
        assertEquals(List.of(10), received(c), "past its maximum time tag a's slot goes to tag b");
        h.advanceMillis(3000);
        h.done(c, Items.archive(10));
        h.recv(c, 1, -1, -1, 1 << 20);
        h.advanceMillis(6999);
        assertTrue(c.actionLists().isEmpty(), "tag b holds the slot until 10 s after its archive was sent");
        h.advanceMillis(1);
        assertEquals(List.of(2), received(c), "tag a's leftover, first in the agent's own queue, takes the slot");
        h.advanceMillis(4000);
        h.done(c, Items.archive(2));
        h.recv(c, 1, -1, -1, 1 << 20);
        h.advanceMillis(5999);
        assertTrue(c.actionLists().isEmpty(), "the leftover's tag holds the slot for the whole idle time");
        h.advanceMillis(1);
        assertEquals(List.of(20), received(c), "then tag c takes it");
    }

    @Test
    void emptyDataFormsItsOwnTag() {
        Harness h = Harness.builder().batching(10, 0, 1).build();
        h.lustre(Items.archive(1, ""), Items.archive(2, "x"), Items.archive(3, "\0padding"));
        RecordingConnection c = h.agent("agent_1");
        h.recv(c);
        assertEquals(List.of(1, 3), received(c), "the oldest archive's tag is taken with all archives of that tag");
    }

    @Test
    void perSlotShareOfMaxArchive() {
        Harness h = Harness.builder().batching(10, 0, 2).build();
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1, "a"), Items.archive(2, "a"), Items.archive(3, "a"), Items.archive(4, "b"),
                Items.archive(5, "b"));
        h.recv(c, 3, -1, -1, 1 << 20);
        assertEquals(List.of(1, 2, 4), received(c), "ceil(3 / 2) = 2 per slot, 3 in all");
        Reply.ClientReport r = client(h.status(4), "agent_1");
        assertEquals(2, r.batches().get(0).currentCount());
        assertEquals(1, r.batches().get(1).currentCount());
        h.done(c, Items.archive(4));
        h.recv(c, 3, -1, -1, 1 << 20);
        assertEquals(List.of(5), received(c));
    }

    @Test
    void maxTimeHandsTheSlotToAnotherTagAndKeepsLeftovers() {
        Harness h = Harness.builder().batching(10, 20, 1).build();
        RecordingConnection c = h.agent("agent_1");
        List<WireItem> a = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            a.add(Items.archive(i, "a"));
        }
        h.lustre(a.toArray(WireItem[]::new));
        h.lustre(Items.archive(10, "b"));
        h.recv(c, 1, -1, -1, 1 << 20);
        assertEquals(List.of(1), received(c));
        for (int i = 1; i <= 3; i++) {
            h.advanceMillis(5000);
            h.done(c, Items.archive(i));
            h.recv(c, 1, -1, -1, 1 << 20);
            assertEquals(List.of(i + 1), received(c));
        }
        h.advanceMillis(5000);
        h.done(c, Items.archive(4));
        h.recv(c, 1, -1, -1, 1 << 20);
        assertEquals(List.of(10), received(c), "after 20 s the slot goes to tag b");
        Reply.ClientReport r = client(h.status(6), "agent_1");
        assertEquals(2, r.queues().waitingArchive().size(), "tag a leftovers wait on the agent's own queue");
        h.done(c, Items.archive(10));
        h.recv(c, 1, -1, -1, 1 << 20);
        assertTrue(c.actionLists().isEmpty(), "tag b keeps the slot for its idle time");
        h.advanceMillis(10_000);
        assertEquals(List.of(5), received(c), "nothing else waits: tag a comes back");
    }

    @Test
    void slotsAreOnlyTakenOnAgentsAcceptingTheArchiveId() {
        Harness h = Harness.builder().batching(10, 0, 1).build();
        RecordingConnection wrong = h.agent("agent_2", 2L);
        h.admin();
        RecordingConnection right = h.agent("agent_1", 1L);
        h.recv(wrong);
        h.lustre(Items.archive(1, "a"));
        assertTrue(wrong.actionLists().isEmpty());
        h.recv(right);
        assertEquals(List.of(1), received(right));
        Reply.StatusReport s = h.status(4);
        assertEquals(null, client(s, "agent_2").batches().get(0).hint());
        assertEquals("a", client(s, "agent_1").batches().get(0).hint());
    }

    @Test
    void zeroSlotsTurnsBatchingOff() {
        Harness h = Harness.builder().batching(10, 0, 0).build();
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1, "a"), Items.archive(2, "b"));
    }
}
