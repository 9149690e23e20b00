package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void cleanShutdownClosesConnectionsAndKeepsAssignments() {
        Harness h = Harness.builder().grace(5000).build();
        RecordingConnection agent = h.agent("agent_1");
        RecordingConnection admin = h.admin();
        h.lustre(Items.archive(1), Items.archive(2));
        h.recv(agent, 1, -1, -1, 1 << 20);
        assertEquals(List.of(1), received(agent));
        h.coordinator.disconnected(h.agent("agent_2"));
        int calls = h.store.calls.size();
        int flushes = h.store.flushes;

        h.coordinator.shutdown();
        assertTrue(agent.closed);
        assertTrue(admin.closed);
        h.coordinator.disconnected(agent);
        h.coordinator.disconnected(admin);
        h.advanceMillis(60_000);

        assertEquals(calls, h.store.calls.size(), "no store change: assignments survive");
        assertEquals("agent_1", h.store.assignee(Items.archive(1)));
        assertEquals(flushes + 1, h.store.flushes);
        assertEquals(-1, h.timers.nextDue());
        RecordingConnection late = h.connect();
        assertTrue(late.closed);
    }
}
