package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.numbers;
import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.junit.jupiter.api.Test;

class CancelTest {

    private final Harness h = Harness.builder().grace(5000).build();

    @Test
    void queuedRequestIsDroppedAndReportedCancelledToLustre() {
        h.lustre(Items.archive(1), Items.archive(2));
        h.lustreCancel(1, 1);
        assertEquals(1, h.canceller.cancelled.size());
        WireItem reported = h.canceller.cancelled.get(0);
        assertEquals(23, reported.action());
        assertEquals(Items.cookie(1), reported.cookie());
        assertEquals(Items.dfid(1), reported.dfid());
        Reply.StatusReport s = h.status(4);
        assertEquals(1, s.counters().pendingArchive(), "the cancelled request no longer counts as pending");
        assertEquals(1, s.counters().doneCancel());
        assertEquals(0, s.counters().pendingCancel());
        assertTrue(h.store.calls.contains("forgotten " + Items.dfid(1).format()));
        RecordingConnection c = h.agent("agent_1");
        h.recv(c);
        assertEquals(List.of(2), received(c));
    }

    @Test
    void unknownRequestCancelChangesNothing() {
        h.lustre(Items.archive(1));
        h.lustreCancel(5, 1);
        assertTrue(h.canceller.cancelled.isEmpty());
        assertEquals(1, h.status(4).counters().pendingArchive());
    }

    @Test
    void runningRequestGetsACancelOrderFirstEvenAtItsLimit() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1), Items.archive(2));
        h.recv(c, 1, -1, -1, 1 << 20);
        assertEquals(List.of(1), received(c));
        h.recv(c, 1, -1, -1, 1 << 20);
        h.lustreCancel(1, 1);
        List<Reply.ActionList> lists = c.takeActionLists();
        assertEquals(1, lists.size(), "the waiting agent gets the cancel at once");
        assertEquals(23, lists.get(0).items().get(0).action());
        assertEquals(List.of(1), numbers(lists.get(0)));
        assertTrue(h.canceller.cancelled.isEmpty(), "the agent handles a running request's cancel");
        Reply.StatusReport s = h.status(4);
        assertEquals(1, s.counters().runningArchive(), "still running until the agent says done");
        assertEquals(0, s.counters().pendingCancel());
        assertEquals(1, s.counters().doneCancel());
        h.done(c, Items.archive(1), 125);
        h.done(c, Items.archive(1), 0);
        assertEquals(Reply.Simple.ok("done"), c.last(), "a second done after a cancel is acknowledged");
        assertEquals(1, h.status(4).counters().doneArchive());
    }

    @Test
    void cancelWaitsForTheNextRecvAndLeadsIt() {
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1));
        h.lustreCancel(1, 1);
        assertEquals(1, h.status(4).counters().pendingCancel());
        h.lustre(Items.restore(2));
        h.recv(c);
        Reply.ActionList list = c.takeActionLists().get(0);
        assertEquals(List.of(1, 2), numbers(list));
        assertEquals(23, list.items().get(0).action());
        assertEquals(21, list.items().get(1).action());
    }

    @Test
    void duplicateCancelIsIgnored() {
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1));
        h.lustreCancel(1, 1);
        h.lustreCancel(1, 1);
        assertEquals(1, h.status(4).counters().pendingCancel());
    }

    @Test
    void doneBeforeTheCancelIsDeliveredDropsTheCancel() {
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1));
        h.lustreCancel(1, 1);
        h.done(c, Items.archive(1));
        Reply.StatusReport s = h.status(4);
        assertEquals(0, s.counters().pendingCancel());
        h.recv(c);
        assertTrue(c.actionLists().isEmpty());
    }

    @Test
    void cancelOfADisconnectedOwnersRequestCompletesAtGraceExpiry() {
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1), Items.archive(2));
        h.coordinator.disconnected(c);
        h.lustreCancel(1, 1);
        RecordingConnection other = h.agent("agent_2");
        h.recv(other);
        h.advanceMillis(5000);
        assertEquals(1, h.canceller.cancelled.size());
        assertEquals(Items.cookie(1), h.canceller.cancelled.get(0).cookie());
        assertEquals(List.of(2), received(other), "the cancelled request is dropped, the other re-routed");
        Reply.StatusReport s = h.status(4);
        assertEquals(0, s.counters().pendingCancel());
        assertEquals(1, s.counters().doneCancel());
        assertEquals(0, s.counters().pendingArchive());
    }

    @Test
    void pendingCancelFollowsTheRequestToTheReconnectedAgent() {
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1));
        h.coordinator.disconnected(c);
        h.lustreCancel(1, 1);
        RecordingConnection back = h.agentRunning("agent_1", Items.archive(1));
        h.recv(back);
        Reply.ActionList list = back.takeActionLists().get(0);
        assertEquals(23, list.items().get(0).action());
        assertTrue(h.canceller.cancelled.isEmpty());
    }

    @Test
    void pendingCancelOfAnUnclaimedRequestCompletesOnReconnection() {
        RecordingConnection c = h.agent("agent_1");
        h.dispatch(c, Items.archive(1));
        h.coordinator.disconnected(c);
        h.lustreCancel(1, 1);
        RecordingConnection back = h.agentRunning("agent_1");
        assertEquals(1, h.canceller.cancelled.size());
        Reply.StatusReport s = h.status(4);
        assertEquals(0, s.counters().pendingArchive());
        assertEquals(0, s.counters().runningArchive());
        assertEquals(0, s.counters().pendingCancel());
    }

    @Test
    void cancelMovesWithARequestClaimedByAnotherAgent() {
        RecordingConnection a = h.agent("agent_a");
        h.dispatch(a, Items.archive(1));
        h.lustreCancel(1, 1);
        RecordingConnection b = h.agentRunning("agent_b", Items.archive(1));
        h.recv(a);
        assertTrue(a.actionLists().isEmpty());
        h.recv(b);
        assertEquals(23, b.takeActionLists().get(0).items().get(0).action());
    }
}
