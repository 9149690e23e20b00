package org.coordinatool.coordinator.core;

import static org.coordinatool.coordinator.core.Harness.received;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.coordinatool.coordinator.protocol.Reply;
import org.coordinatool.coordinator.protocol.WireItem;
import org.coordinatool.hsm.HsmActionItem;
import org.coordinatool.hsm.HsmActionList;
import org.coordinatool.hsm.HsmExtent;
import org.junit.jupiter.api.Test;

class FromLustreTest {

    private final Harness h = Harness.plain();

    @Test
    void itemsTakeTheListsArchiveIdFlagsAndOneTimestamp() {
        RecordingConnection c = h.agent("agent_1");
        h.advanceMillis(250);
        h.coordinator.fromLustre(new HsmActionList(4, 7, Harness.FS,
                List.of(Items.hai(Items.archive(1)), Items.hai(Items.archive(2)))));
        h.recv(c);
        Reply.ActionList list = c.takeActionLists().get(0);
        assertEquals(7, list.archiveId());
        assertEquals(4, list.flags());
        for (WireItem item : list.items()) {
            assertEquals(7, item.archiveId());
            assertEquals(4, item.flags());
            assertEquals(ManualClock.EPOCH_START + 250_000_000L, item.timestamp());
        }
        assertEquals(2, h.store.requests.size());
    }

    @Test
    void dataThatIsNotUtf8IsKept() {
        RecordingConnection c = h.agent("agent_1");
        byte[] data = {(byte) 0xff, 0, (byte) 0xc3, 'x'};
        h.coordinator.fromLustre(new HsmActionList(0, 1, Harness.FS, List.of(new HsmActionItem(20, Items.dfid(1),
                Items.dfid(1), HsmExtent.WHOLE_FILE, Items.cookie(1), 0, data))));
        h.recv(c);
        assertArrayEquals(data, c.takeActionLists().get(0).items().get(0).data());
    }

    @Test
    void duplicatesUnknownActionsAndBadVersionsAreIgnored() {
        h.lustre(Items.archive(1));
        h.lustre(Items.archive(1));
        h.coordinator.fromLustre(new HsmActionList(0, 1, Harness.FS, List.of(new HsmActionItem(10, Items.dfid(2),
                Items.dfid(2), HsmExtent.WHOLE_FILE, Items.cookie(2), 0, new byte[0]))));
        h.coordinator.fromLustre(new HsmActionList(2, 0, 0, 1, Harness.FS, List.of(Items.hai(Items.archive(3)))));
        assertEquals(1, h.status(4).counters().pendingArchive());
        assertEquals(1, h.store.requests.size());
    }

    @Test
    void listForAnotherFilesystemIsStillAccepted() {
        h.coordinator.fromLustre(new HsmActionList(0, 1, "otherfs", List.of(Items.hai(Items.archive(1)))));
        assertEquals(1, h.status(4).counters().pendingArchive());
    }

    @Test
    void everyEventFlushesTheStore() {
        int before = h.store.flushes;
        h.lustre(Items.archive(1));
        RecordingConnection c = h.agent("agent_1");
        h.recv(c);
        assertTrue(h.store.flushes >= before + 4, "lustre, connect, ehlo and recv each flush");
        assertEquals(List.of(1), received(c));
        int afterRecv = h.store.flushes;
        h.done(c, Items.archive(1));
        assertEquals(afterRecv + 1, h.store.flushes);
    }
}
