package org.coordinatool.mover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.coordinatool.coordinator.protocol.WireItem;
import org.junit.jupiter.api.Test;

class PendingDonesTest {

    static WireItem item(long cookie) {
        return new WireItem(20, AgentHarness.fid(1), AgentHarness.fid(1), 0, -1, cookie, 0, 1, 0, new byte[0], 0,
                null);
    }

    @Test
    void repliesAcknowledgeTheOldestWrittenDone() {
        PendingDones d = new PendingDones();
        d.add(item(1), 0);
        d.add(item(2), 5);
        assertEquals(List.of(new PendingDones.Done(item(1), 0), new PendingDones.Done(item(2), 5)), d.takeUnsent());
        d.add(item(3), 0);
        assertTrue(d.acknowledge());
        assertEquals(List.of(item(2), item(3)), d.items());
        assertEquals(List.of(new PendingDones.Done(item(3), 0)), d.takeUnsent());
        assertTrue(d.acknowledge());
        assertTrue(d.acknowledge());
        assertFalse(d.acknowledge(), "nothing written is awaiting a reply");
        assertTrue(d.isEmpty());
    }

    @Test
    void aLostConnectionMakesEveryUnacknowledgedDoneUnsentInOrder() {
        PendingDones d = new PendingDones();
        d.add(item(1), 0);
        d.add(item(2), 0);
        d.takeUnsent();
        d.add(item(3), 0);
        d.connectionLost();
        assertFalse(d.acknowledge());
        assertEquals(List.of(1L, 2L, 3L), d.takeUnsent().stream().map(x -> x.item().cookie()).toList());
        assertEquals(3, d.size());
    }
}
