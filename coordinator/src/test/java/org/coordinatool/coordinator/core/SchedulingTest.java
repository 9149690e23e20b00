package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.numbers;
import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.junit.jupiter.api.Test;

class SchedulingTest {

    private final Harness h = Harness.plain();

    @Test
    void restoresThenRemovesThenArchivesInArrivalOrder() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1), Items.archive(2));
        h.lustre(Items.remove(3));
        h.lustre(Items.restore(4), Items.restore(5));
        h.recv(c);
        assertEquals(List.of(4, 5, 3, 1, 2), received(c));
    }

    @Test
    void perTypeLimitsCountRunningRequestsAndDoNotBlockOtherTypes() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.restore(1), Items.restore(2), Items.restore(3));
        h.lustre(Items.archive(4), Items.archive(5));
        h.recv(c, 1, 2, 0, 1 << 20);
        assertEquals(List.of(1, 2, 4), received(c));
        h.recv(c, 1, 2, 0, 1 << 20);
        assertTrue(c.actionLists().isEmpty(), "all limits reached");
        h.done(c, Items.restore(1));
        assertEquals(List.of(3), received(c));
        h.lustre(Items.remove(6));
        h.recv(c, 1, 2, 0, 1 << 20);
        assertTrue(c.actionLists().isEmpty(), "max_remove 0 takes no remove");
        h.recv(c, 1, 2, 1, 1 << 20);
        assertEquals(new Reply.Simple("recv", 22, "Client must send EHLO first and not already be in RECV"), c.last());
    }

    /** Each item costs 72 + hai_len = 144 + data bytes; filling stops once the total exceeds max_bytes - 172. */
    @Test
    void bytePackingFollowsTheBudget() {
        RecordingConnection c = h.agent("agent_1");
        List<WireItem> items = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            items.add(Items.archive(i));
        }
        h.lustre(items.toArray(WireItem[]::new));
        h.recv(c, -1, -1, -1, 144 * 3 + 172);
        assertEquals(List.of(1, 2, 3, 4), received(c), "after 3 items exactly 172 bytes are left: a 4th fits");
        h.recv(c, -1, -1, -1, 144 * 3 + 171);
        assertEquals(List.of(5, 6, 7), received(c), "after 3 items fewer than 172 bytes are left: the reply is full");
    }

    @Test
    void anItemTooLargeForWhatIsLeftStopsItsTypeOnly() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.restore(1), Items.item(ActionType.RESTORE, 2, 1, 0, new byte[800]),
                Items.restore(3));
        h.lustre(Items.archive(4), Items.archive(5), Items.archive(6), Items.archive(7), Items.archive(8),
                Items.archive(9));
        h.recv(c, -1, -1, -1, 1000);
        assertEquals(List.of(1, 4, 5, 6, 7, 8), received(c));
    }

    @Test
    void oneArchiveIdAndFlagsPerReply() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.item(ActionType.ARCHIVE, 1, 1, 0, new byte[0]));
        h.lustre(Items.item(ActionType.ARCHIVE, 2, 2, 0, new byte[0]));
        h.lustre(Items.item(ActionType.ARCHIVE, 3, 1, 8, new byte[0]));
        h.lustre(Items.item(ActionType.ARCHIVE, 4, 1, 0, new byte[0]));
        h.lustre(Items.item(ActionType.RESTORE, 5, 2, 0, new byte[0]));
        h.recv(c);
        Reply.ActionList first = c.takeActionLists().get(0);
        assertEquals(2, first.archiveId(), "the oldest restore fixes the key");
        assertEquals(List.of(5, 2), numbers(first));
        h.recv(c);
        Reply.ActionList second = c.takeActionLists().get(0);
        assertEquals(List.of(1, 4), numbers(second));
        h.recv(c);
        Reply.ActionList third = c.takeActionLists().get(0);
        assertEquals(8, third.flags());
        assertEquals(List.of(3), numbers(third));
    }

    /** Far more than the original's 101-item scan window of non-matching requests ahead of the match. */
    @Test
    void agentExcludingTheHeadOfALongQueueStillGetsMatchingWork() {
        RecordingConnection other = h.agent("agent_2", 2L);
        List<WireItem> head = new ArrayList<>();
        for (int i = 1; i <= 5000; i++) {
            head.add(Items.item(ActionType.ARCHIVE, i, 1, 0, new byte[0]));
        }
        h.lustre(head.toArray(WireItem[]::new));
        h.lustre(Items.item(ActionType.ARCHIVE, 9001, 2, 0, new byte[0]));
        h.lustre(Items.item(ActionType.ARCHIVE, 9002, 2, 0, new byte[0]));
        h.recv(other);
        assertEquals(List.of(9001, 9002), received(other));
        assertEquals(5000, h.status(4).counters().pendingArchive());
    }

    /** Quota per list: more than pending / agents items leaves the list (2 agents, 10 pending: 6). */
    @Test
    void fairnessCutUsesTheNumberOfAgents() {
        RecordingConnection a = h.agent("agent_a");
        h.agent("agent_b");
        List<WireItem> items = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            items.add(Items.archive(i));
        }
        h.lustre(items.toArray(WireItem[]::new));
        h.recv(a);
        assertEquals(List.of(1, 2, 3, 4, 5, 6), received(a));
    }

    @Test
    void adminConnectionsDoNotCountForFairness() {
        RecordingConnection a = h.agent("agent_a");
        h.admin();
        h.admin();
        h.connect();
        List<WireItem> items = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            items.add(Items.archive(i));
        }
        h.lustre(items.toArray(WireItem[]::new));
        h.recv(a);
        assertEquals(10, received(a).size());
        assertEquals(1, h.status(4).clientsConnected());
    }

    @Test
    void anonymousConnectionThatAsksForWorkIsAnAgent() {
        RecordingConnection a = h.agent("agent_a");
        RecordingConnection drain = h.admin();
        h.recv(drain);
        assertEquals(2, h.status(4).clientsConnected());
        List<WireItem> items = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            items.add(Items.archive(i));
        }
        h.lustre(items.toArray(WireItem[]::new));
        assertEquals(List.of(1, 2, 3), received(drain), "4 pending / 2 agents: the third item exceeds the quota");
        h.recv(a);
        assertEquals(List.of(4), received(a));
    }

    @Test
    void waitingAgentsAreServedMostRecentRecvFirst() {
        RecordingConnection a = h.agent("agent_a");
        RecordingConnection b = h.agent("agent_b");
        h.recv(a, 1, -1, -1, 1 << 20);
        h.recv(b, 1, -1, -1, 1 << 20);
        h.lustre(Items.archive(1));
        assertEquals(List.of(1), received(b));
        assertTrue(a.actionLists().isEmpty());
    }

    @Test
    void eachRequestIsSentOnceAndStoredAsAssigned() {
        RecordingConnection a = h.agent("agent_a");
        RecordingConnection b = h.agent("agent_b");
        h.recv(a);
        h.recv(b);
        h.lustre(Items.archive(1), Items.archive(2), Items.archive(3));
        List<Integer> all = new ArrayList<>(received(a));
        all.addAll(received(b));
        all.sort(null);
        assertEquals(List.of(1, 2, 3), all);
        for (int i = 1; i <= 3; i++) {
            assertTrue(h.store.assignee(Items.archive(i)).startsWith("agent_"));
        }
        Reply.StatusReport s = h.status(4);
        assertEquals(3, s.counters().runningArchive());
        assertEquals(0, s.counters().pendingArchive());
    }
}
