package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.Fid;
import org.junit.jupiter.api.Test;

class DoneTest {

    private static final Reply REFUSED = new Reply.Simple("done", 22, "Request is not running on this client");

    private final Harness h = Harness.plain();

    @Test
    void missingCookieOrFidIsRefused() {
        RecordingConnection c = h.agent("agent_1");
        h.send(c, new Command.Done(null, Items.dfid(1), 0));
        assertEquals(new Reply.Simple("done", 22, "cookie or fid not set -- old client?"), c.last());
        h.send(c, new Command.Done(1L, null, 0));
        assertEquals(new Reply.Simple("done", 22, "cookie or fid not set -- old client?"), c.last());
    }

    @Test
    void unknownRequestIsAcknowledged() {
        RecordingConnection c = h.agent("agent_1");
        h.done(c, Items.archive(5));
        assertEquals(Reply.Simple.ok("done"), c.last());
        assertEquals(0, h.status(4).counters().doneArchive());
    }

    @Test
    void doneCompletesAndCounts() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1));
        h.lustre(Items.restore(2));
        h.recv(c);
        assertEquals(List.of(2, 1), received(c), "restores first; one reply as they share archive id and flags");
        h.done(c, Items.archive(1), 0);
        h.done(c, Items.restore(2), 5);
        Reply.StatusReport s = h.status(4);
        assertEquals(1, s.counters().doneArchive());
        assertEquals(1, s.counters().doneRestore());
        assertEquals(0, s.counters().runningArchive());
        assertEquals(1, EhloTest.client(s, "agent_1").doneArchive());
        assertEquals(0, EhloTest.client(s, "agent_1").currentArchive());
        assertTrue(h.store.requests.isEmpty());
        assertTrue(h.store.assigned.isEmpty());
    }

    @Test
    void doneForAQueuedRequestIsRefusedAndChangesNothing() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1));
        h.done(c, Items.archive(1));
        assertEquals(REFUSED, c.last());
        Reply.StatusReport s = h.status(4);
        assertEquals(1, s.counters().pendingArchive());
        assertEquals(0, s.counters().doneArchive());
        h.recv(c);
        assertEquals(List.of(1), received(c));
    }

    @Test
    void doneFromAnotherClientIsRefused() {
        RecordingConnection a = h.agent("agent_a");
        RecordingConnection b = h.agent("agent_b");
        h.dispatch(a, Items.archive(1));
        h.done(b, Items.archive(1));
        assertEquals(REFUSED, b.last());
        assertEquals(1, EhloTest.client(h.status(4), "agent_a").currentArchive());
        h.done(a, Items.archive(1));
        assertEquals(Reply.Simple.ok("done"), a.last());
    }

    /** The original agent library sends the cookie truncated to 32 bits and sign-extended. */
    @Test
    void truncatedCookieMatchesTheRunningRequest() {
        RecordingConnection c = h.agent("agent_1");
        long cookie = 0x0000_0007_9000_0001L;
        Fid dfid = Items.dfid(1);
        WireItem item = new WireItem(20, dfid, dfid, 0, -1, cookie, 0, 1, 0, new byte[0], 0, null);
        h.lustre(item);
        h.recv(c);
        assertEquals(1, c.takeActionLists().size());
        h.send(c, new Command.Done((long) (int) cookie, dfid, 0));
        assertEquals(Reply.Simple.ok("done"), c.last());
        assertEquals(1, h.status(4).counters().doneArchive());
        assertNull(h.store.requests.get(new RecordingStore.Key(cookie, dfid)));
    }

    @Test
    void truncatedCookieOfAQueuedRequestIsNotMatched() {
        RecordingConnection c = h.agent("agent_1");
        long cookie = 0x0000_0007_9000_0001L;
        Fid dfid = Items.dfid(1);
        h.lustre(new WireItem(20, dfid, dfid, 0, -1, cookie, 0, 1, 0, new byte[0], 0, null));
        h.send(c, new Command.Done((long) (int) cookie, dfid, 0));
        assertEquals(Reply.Simple.ok("done"), c.last());
        assertEquals(1, h.status(4).counters().pendingArchive());
    }

    @Test
    void doneWhileWaitingSendsTheNextWorkBeforeTheDoneReply() {
        RecordingConnection c = h.agent("agent_1");
        h.lustre(Items.archive(1), Items.archive(2));
        h.recv(c, 1, -1, -1, 1 << 20);
        assertEquals(List.of(1), received(c));
        h.recv(c, 1, -1, -1, 1 << 20);
        h.done(c, Items.archive(1));
        assertInstanceOf(Reply.ActionList.class, c.replies.get(c.replies.size() - 2));
        assertEquals(Reply.Simple.ok("done"), c.last());
        assertEquals(List.of(2), received(c));
    }
}
