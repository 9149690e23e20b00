package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.coordinatool.coordinator.protocol.Command;
import org.coordinatool.coordinator.protocol.Reply;
import org.junit.jupiter.api.Test;

class LockTest {

    private final Harness h = Harness.builder().grace(5000).build();

    private void lock(RecordingConnection c, long mode) {
        h.send(c, new Command.Lock(mode));
    }

    private RecordingConnection agentRunningRequest1() {
        RecordingConnection agent = h.agent("agent_1");
        h.dispatch(agent, Items.archive(1));
        return agent;
    }

    @Test
    void lockStopsDispatchingAndUnlockResumesAtOnce() {
        RecordingConnection agent = h.agent("agent_1");
        RecordingConnection admin = h.admin();
        lock(admin, 1);
        assertEquals(Reply.Simple.ok("lock"), admin.last());
        h.recv(agent);
        h.lustre(Items.archive(1));
        assertEquals(new Reply.QueueResult(1, 0, 0, null), h.queue(admin, Items.archive(2)));
        assertTrue(agent.actionLists().isEmpty());
        assertEquals(1, h.status(4).locked());
        lock(admin, 0);
        assertEquals(List.of(1, 2), received(agent));
    }

    @Test
    void lockHoldsCancelsToo() {
        RecordingConnection agent = agentRunningRequest1();
        RecordingConnection admin = h.admin();
        lock(admin, 1);
        h.recv(agent);
        h.lustreCancel(1, 1);
        assertTrue(agent.actionLists().isEmpty());
        lock(admin, 0);
        assertEquals(List.of(1), received(agent));
    }

    @Test
    void invalidModeIsRefusedAndChangesNothing() {
        RecordingConnection admin = h.admin();
        lock(admin, 1);
        lock(admin, 3);
        assertEquals(new Reply.Simple("lock", 22, "invalid locked value"), admin.last());
        lock(admin, -1);
        assertEquals(new Reply.Simple("lock", 22, "invalid locked value"), admin.last());
        assertEquals(1, h.status(4).locked());
    }

    @Test
    void lockAndQuitWithNothingRunningTerminatesAfterReplying() {
        RecordingConnection admin = h.admin();
        h.lustre(Items.archive(1));
        lock(admin, 2);
        assertEquals(Reply.Simple.ok("lock"), admin.last());
        assertEquals(1, h.terminations);
    }

    @Test
    void lockAndQuitWaitsForTheLastDone() {
        RecordingConnection agent = h.agent("agent_1");
        RecordingConnection admin = h.admin();
        h.lustre(Items.archive(1), Items.archive(2), Items.archive(3));
        h.recv(agent, 2, -1, -1, 1 << 20);
        assertEquals(List.of(1, 2), received(agent));
        lock(admin, 2);
        assertEquals(0, h.terminations);
        h.recv(agent, 2, -1, -1, 1 << 20);
        h.done(agent, Items.archive(1));
        assertTrue(agent.actionLists().isEmpty(), "no new work while quitting");
        assertEquals(0, h.terminations);
        h.done(agent, Items.archive(2));
        assertEquals(Reply.Simple.ok("done"), agent.last());
        assertEquals(1, h.terminations);
        h.done(agent, Items.archive(3));
        assertEquals(1, h.terminations, "termination starts once");
    }

    @Test
    void lockAndQuitAlsoEndsWhenRunningWorkIsRequeued() {
        RecordingConnection agent = agentRunningRequest1();
        RecordingConnection admin = h.admin();
        lock(admin, 2);
        h.coordinator.disconnected(agent);
        h.advanceMillis(5000);
        assertEquals(1, h.terminations);
    }

    @Test
    void unlockBeforeTheLastDoneCancelsTheQuit() {
        RecordingConnection agent = agentRunningRequest1();
        RecordingConnection admin = h.admin();
        lock(admin, 2);
        lock(admin, 0);
        h.done(agent, Items.archive(1));
        assertEquals(0, h.terminations);
    }
}
