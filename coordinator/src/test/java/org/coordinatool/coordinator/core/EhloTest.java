package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.coordinator.queue.ActionType;
import org.junit.jupiter.api.Test;

class EhloTest {

    private final Harness h = Harness.plain();

    @Test
    void secondEhloIsRefused() {
        RecordingConnection c = h.agent("agent_1");
        h.send(c, Harness.ehlo("agent_1"));
        assertEquals(new Reply.Simple("ehlo", 22, "Client cannot send EHLO twice"), c.last());
    }

    @Test
    void wrongFsnameIsRefusedAndTheConnectionCanRetry() {
        RecordingConnection c = h.connect();
        h.send(c, new Command.Ehlo("agent_1", "otherfs", null, null, List.of()));
        assertEquals(new Reply.Simple("ehlo", 22, "Bad fsname"), c.last());
        h.send(c, Harness.ehlo("agent_1"));
        assertEquals(Reply.Simple.ok("ehlo"), c.last());
    }

    @Test
    void badArchiveIdIsAnsweredAsEhloAndChangesNothing() {
        for (long bad : new long[] {0, -1, 1L << 31}) {
            RecordingConnection c = h.connect();
            h.send(c, Harness.ehlo("agent_x", 1L, bad));
            assertEquals(new Reply.Simple("ehlo", 22, "Bad archive id in list"), c.last(), "archive id " + bad);
            h.send(c, Harness.ehlo("agent_x" + bad, 3L));
            assertEquals(Reply.Simple.ok("ehlo"), c.last());
        }
        assertEquals(List.of(), h.status(4).clients().stream().filter(r -> r.clientId().equals("agent_x")).toList());
    }

    @Test
    void idUsedByAConnectedClientIsRefused() {
        h.agent("agent_1");
        RecordingConnection second = h.connect();
        h.send(second, Harness.ehlo("agent_1"));
        assertEquals(new Reply.Simple("ehlo", 17, "id already used by another client"), second.last());
        h.recv(second);
        assertEquals(new Reply.Simple("recv", 22, "Client must send EHLO first and not already be in RECV"),
                second.last());
    }

    @Test
    void anonymousEhloIsAcceptedAndItsHaiListIgnored() {
        RecordingConnection c = h.connect();
        h.send(c, new Command.Ehlo(null, Harness.FS, null, List.of(Items.archive(1)), List.of()));
        assertEquals(Reply.Simple.ok("ehlo"), c.last());
        assertTrue(h.store.requests.isEmpty());
    }

    @Test
    void archiveIdsRestrictWhatTheAgentGets() {
        RecordingConnection c = h.agent("agent_1", 2L, 3L);
        h.lustre(Items.item(ActionType.ARCHIVE, 1, 1, ""));
        h.recv(c);
        assertTrue(c.actionLists().isEmpty());
        h.lustre(Items.item(ActionType.ARCHIVE, 2, 3, ""));
        assertEquals(List.of(2), received(c));
    }

    @Test
    void reconnectionWithinGraceAdoptsRunningWorkAndCountsIt() {
        RecordingConnection first = h.agent("agent_1");
        h.lustre(Items.archive(1), Items.archive(2), Items.archive(3));
        h.recv(first, 2, -1, -1, 1 << 20);
        assertEquals(List.of(1, 2), received(first));
        h.coordinator.disconnected(first);
        h.advanceMillis(1000);

        RecordingConnection second = h.connect();
        WireItem unknown = Items.archive(9, "new");
        WireItem partial = new WireItem(0, Items.dfid(77), Items.dfid(77), 0, 0, Items.cookie(77), 0, 0, 0,
                new byte[0], 0, null);
        h.send(second, new Command.Ehlo("agent_1", Harness.FS, null, List.of(Items.archive(1), unknown, partial),
                List.of("hai_list[3]: no hai_dfid")));
        assertEquals(Reply.Simple.ok("ehlo"), second.last());

        Reply.ClientReport agent = client(h.status(4), "agent_1");
        assertEquals("ready", agent.state());
        assertEquals(2, agent.currentArchive(), "item 1 claimed and unknown item 9 started");
        assertEquals("agent_1", h.store.assignee(Items.archive(1)));
        assertEquals("agent_1", h.store.assignee(unknown));
        assertEquals(null, h.store.assignee(Items.archive(2)), "item 2 not claimed: re-queued");
        assertEquals(2, h.status(4).counters().pendingArchive(), "items 2 and 3 wait");

        h.recv(second, 3, -1, -1, 1 << 20);
        assertEquals(List.of(3), received(second), "max_archive 3 counts the two adopted requests");
        h.recv(second, 3, -1, -1, 1 << 20);
        assertEquals(List.of(), received(second), "three running");
        h.done(second, Items.archive(1));
        assertEquals(Reply.Simple.ok("done"), second.last());
        assertEquals(List.of(2), received(second));
    }

    /**
     * The connection broke after the coordinator processed a done but before its reply reached
     * the agent: the agent claims the request again and repeats the done. The request stays
     * completed once, not registered and completed a second time.
     */
    @Test
    void claimOfARequestAlreadyCompletedByTheAgentDoesNotReviveIt() {
        RecordingConnection first = h.agent("agent_1");
        h.lustre(Items.archive(1), Items.archive(2));
        h.recv(first, 2, -1, -1, 1 << 20);
        assertEquals(List.of(1, 2), received(first));
        h.done(first, Items.archive(1));
        h.coordinator.disconnected(first);

        RecordingConnection second = h.connect();
        h.send(second, Harness.ehlo("agent_1", List.of(Items.archive(1), Items.archive(2))));
        assertEquals(Reply.Simple.ok("ehlo"), second.last());
        assertEquals(1, client(h.status(4), "agent_1").currentArchive(), "only item 2 still runs");
        h.done(second, Items.archive(1));
        assertEquals(Reply.Simple.ok("done"), second.last(), "the repeated done is acknowledged");
        h.done(second, Items.archive(2));

        Reply.StatusReport end = h.status(4);
        assertEquals(2, end.counters().doneArchive(), "each archive completed once");
        assertEquals(0, end.counters().runningArchive());
        assertEquals(0, end.counters().pendingArchive());
        assertEquals(2, client(end, "agent_1").doneArchive());
        assertEquals(null, h.store.assignee(Items.archive(1)));
    }

    @Test
    void placeholderIsAdoptedByTheAgentOfThatName() {
        h.coordinator.recovered(List.of(Items.archive(1)),
                List.of(new CoordinatorEvents.Assignment(Items.cookie(1), Items.dfid(1), "agent_7")));
        RecordingConnection c = h.agent("agent_7");
        Reply.ClientReport report = client(h.status(4), "agent_7");
        assertEquals(0, report.currentArchive(), "not claimed in hai_list: re-queued");
        h.recv(c);
        assertEquals(List.of(1), received(c));
    }

    @Test
    void claimTakesARequestFromAnotherClient() {
        RecordingConnection a = h.agent("agent_a");
        h.dispatch(a, Items.archive(1));
        RecordingConnection b = h.agentRunning("agent_b", Items.archive(1));
        Reply.StatusReport s = h.status(4);
        assertEquals(0, client(s, "agent_a").currentArchive());
        assertEquals(1, client(s, "agent_b").currentArchive());
        assertEquals(1, s.counters().runningArchive());
        assertEquals("agent_b", h.store.assignee(Items.archive(1)));
        h.done(a, Items.archive(1));
        assertEquals(new Reply.Simple("done", 22, "Request is not running on this client"), a.last());
        h.done(b, Items.archive(1));
        assertEquals(Reply.Simple.ok("done"), b.last());
    }

    @Test
    void ehloReleasesWorkToWaitingAgentsAtOnce() {
        RecordingConnection waiting = h.agent("agent_w");
        h.recv(waiting);
        RecordingConnection old = h.agent("agent_1");
        h.lustre(Items.archive(1));
        assertEquals(List.of(1), received(waiting));
        h.dispatch(old, Items.archive(2));
        h.coordinator.disconnected(old);
        h.recv(waiting);
        RecordingConnection back = h.agentRunning("agent_1");
        assertEquals(List.of(2), received(waiting), "the unclaimed request goes out in the same event");
    }

    @Test
    void disconnectedIdIsNotInUse() {
        RecordingConnection c = h.agent("agent_1");
        h.coordinator.disconnected(c);
        RecordingConnection again = h.connect();
        h.send(again, Harness.ehlo("agent_1"));
        assertEquals(Reply.Simple.ok("ehlo"), again.last());
        assertFalse(h.status(4).clients().stream().anyMatch(r -> r.state().equals("disconnected")));
    }

    static Reply.ClientReport client(Reply.StatusReport s, String id) {
        return s.clients().stream().filter(r -> r.clientId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no client " + id + " in " + s.clients()));
    }
}
